// The booth fleet, for admins: every booth with its last heartbeat and flags, enrol one (one-time
// code + QR), revoke one, a week of its heartbeats, and the settings all booths receive.
import { z } from 'zod';
import { BOOTH_CODE } from '../../lib/vocab.ts';
import { BoothSettings, BoothSettingsEdit, FleetHeartbeat } from '../booth.ts';
import { route } from './route.ts';

export const AddBooth = z.object({
  code: z.string().trim().toUpperCase().regex(BOOTH_CODE, 'a booth code is 2–8 capital letters or digits, e.g. FT01'),
  village: z.string().trim().min(1).max(60),
  location: z.string().trim().min(1).max(120),
});
const CodeParam = z.object({ code: z.string().regex(BOOTH_CODE) });

export const FleetFlag = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('never-heard') }),
  z.object({ kind: z.literal('silent'), sinceMs: z.number() }),
  z.object({ kind: z.literal('queue-stuck'), oldestUnsentAgeMs: z.number() }),
  z.object({ kind: z.literal('disk-low'), freeBytes: z.number(), needBytes: z.number() }),
  z.object({ kind: z.literal('clock-skew'), skewMs: z.number() }),
  z.object({ kind: z.literal('device-fault'), devices: z.array(z.string()) }),
  z.object({ kind: z.literal('booth-alert'), alerts: z.array(z.string()) }),
  z
    .object({ kind: z.literal('intake-alert'), alerts: z.array(z.string()) })
    .describe("the intake's alerts about the booth of the last 7 days (a case filed under another number than its receipt's)"),
]);

export const FleetBooth = z.object({
  code: z.string(),
  village: z
    .string()
    .nullable()
    .describe('null: a booth never added on the fleet page (its credential came from the command line, or the npm start booth)'),
  location: z.string().nullable(),
  enrolledAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  lastHeartbeatAt: z.number().nullable(),
  heartbeat: FleetHeartbeat.nullable(),
  flags: z.array(FleetFlag),
  intakeAlerts: z
    .array(z.object({ kind: z.string(), message: z.string(), createdAt: z.number() }))
    .describe('intake_alerts rows of the last 7 days, newest first (technician English)'),
});

export const fleetRoutes = {
  fleet: route({
    method: 'GET',
    path: '/staff/api/fleet',
    summary: 'every booth, flagged ones first',
    response: z.object({
      now: z.number(),
      booths: z.array(FleetBooth),
      limits: z.object({ silentAfterMs: z.number(), oldestUnsentMaxMs: z.number(), diskFreeMinBytes: z.number() }).loose(),
    }),
  }),
  addBooth: route({
    method: 'POST',
    path: '/staff/api/fleet/booths',
    summary: 'add a booth: a one-time enrolment code (24 h) and its QR',
    body: AddBooth,
    response: z.object({ boothCode: z.string(), enrolmentCode: z.string(), expiresAt: z.number(), uri: z.string(), qrSvg: z.string() }),
  }),
  revokeBooth: route({
    method: 'POST',
    path: '/staff/api/fleet/booths/:code/revoke',
    summary: "revoke a booth's credential",
    params: CodeParam,
    response: z.object({ revoked: z.string() }),
  }),
  heartbeats: route({
    method: 'GET',
    path: '/staff/api/fleet/booths/:code/heartbeats',
    summary: "a week of a booth's heartbeats, one row per hour",
    params: CodeParam,
    response: z.object({
      from: z.number(),
      to: z.number(),
      count: z.number(),
      hours: z.array(z.object({ hourStart: z.number(), count: z.number(), maxQueueDepth: z.number(), last: FleetHeartbeat })),
      silentHours: z.array(z.number()),
    }),
  }),
  boothSettings: route({
    method: 'GET',
    path: '/staff/api/fleet/settings',
    summary: 'the settings every booth receives',
    response: BoothSettings,
  }),
  changeBoothSettings: route({
    method: 'PUT',
    path: '/staff/api/fleet/settings',
    summary: 'change the booth settings (their revision grows)',
    body: BoothSettingsEdit,
    response: BoothSettings,
  }),
};
