// Starts the real booth core and the real intake on free ports on 127.0.0.1, each with its own
// temporary data directory, and stops both. Used by integration and end-to-end tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { BoothConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';
import type { Clock } from '../../lib/clock.ts';
import { startBoothSimulator } from '../../drivers/idcard/simulator/index.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { issueCredential } from '../../intake/boothCredentials.ts';

export interface Stack {
  root: string;
  core: BoothCore;
  intake: Intake;
  intakeUrl: string;
  staffUrl: string;
  kioskUrl: string;
  stopIntake(): Promise<void>;
  startIntake(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** The booth's data directory (default: <root>/booth), e.g. a small tmpfs for disk-full tests. */
  boothDataDir?: string;
  /** Drives the core's heartbeat tick, sweep and credential watch (tests/support/manualClock.ts). */
  clock?: Clock;
}

export async function startStack(config: Partial<z.input<typeof BoothConfig>> = {}, options: StackOptions = {}): Promise<Stack> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'booth-stack-'));
  const intakeDir = path.join(root, 'intake');
  let intake = await createIntake({ dataDir: intakeDir });
  let intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(intakeUrl).port);
  const parsed = BoothConfig.parse({
    port: 0,
    upload: { retryBaseMs: 200, retryCapMs: 2_000, pollMs: 500, idleTimeoutMs: 5_000, inRequestDelaysMs: [0, 100] },
    ...config,
  });
  const intakeToken = await issueCredential(intake.delivery, parsed.boothCode, Date.now());
  const core = await BoothCore.create({
    dataDir: options.boothDataDir ?? path.join(root, 'booth'),
    config: parsed,
    intakeUrl,
    intakeToken,
    // As under `npm start`: the simulator stands in where no reader is found (production: never).
    readerSimulator: startBoothSimulator,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await core.listen(0);
  const stack: Stack = {
    root,
    core,
    get intake() {
      return intake;
    },
    intakeUrl,
    staffUrl: `${intakeUrl}/staff/`,
    kioskUrl: core.kioskUrl,
    async stopIntake() {
      await intake.close();
    },
    async startIntake() {
      intake = await createIntake({ dataDir: intakeDir });
      intakeUrl = await intake.app.listen({ host: '127.0.0.1', port });
    },
    async close() {
      await core.close();
      await intake.close().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Calls the booth core API as the kiosk would (token header, own origin). */
export async function coreFetch(stack: Stack, pathname: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('x-booth-token')) headers.set('x-booth-token', stack.core.token);
  return fetch(stack.core.url + pathname, { ...init, headers });
}

export { eventually } from '../../testkit/eventually.ts';
