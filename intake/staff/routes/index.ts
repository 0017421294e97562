// The staff API under /staff/api: one file per resource in this folder, each route through
// staffRoute() (one permission, zod-parsed input, a JSON answer), queries in intake/store/.
// A new route: describe it in contract/staff/ (schemas of input and answer), register it in a
// file here with staffRoute({ route: staffApi.<group>.<name>, access }), queries in the store.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { MediaStore } from '../../media/mediaStore.ts';
import type { IntakeDatabase } from '../../store/schema.ts';
import type { StaffContext } from '../http.ts';
import { registerSessionRoutes, type SessionOptions } from './session.ts';
import { registerMetaRoutes } from './meta.ts';
import { registerCaseRoutes } from './cases.ts';
import { registerCaseContactRoutes } from './caseContact.ts';
import { registerMediaRoutes } from './media.ts';
import { registerAttachmentRoutes } from './attachments.ts';
import { registerListRoutes } from './lists.ts';
import { registerReportRoutes } from './reports.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerUserRoutes } from './users.ts';
import { registerUnitRoutes } from './units.ts';
import { registerSettingsRoutes } from './settings.ts';
import { registerCalendarRoutes } from './calendar.ts';
import { registerApiKeyRoutes } from './apiKeys.ts';
import { registerWebhookRoutes } from './webhooks.ts';
import { registerCaseProcessRoutes } from './caseProcess.ts';
import { registerExtensionRoutes } from './extensions.ts';
import { registerEscalationRoutes } from './escalations.ts';
import { registerNoticeRoutes } from './notices.ts';
import { registerRepeatRoutes } from './repeats.ts';
import { STAFF_OPENAPI_PATH } from '../../../contract/staff/index.ts';
import { staffOpenApiDocument } from '../openapi.ts';
import { registerRankingRoutes } from './ranking.ts';
import { registerHomeRoutes } from './home.ts';

export interface StaffApiOptions extends SessionOptions {
  db: Kysely<IntakeDatabase>;
  contactKey: Buffer;
  /** Where case media live (a folder, or the object store). */
  media: MediaStore;
  now: () => number;
  /** The configured public origin, accepted as the staff app's Origin (IntakeOptions.publicUrl). */
  publicOrigin?: string;
}

export function registerStaffRoutes(app: FastifyInstance, opts: StaffApiOptions): void {
  const sc: StaffContext = { db: opts.db, now: opts.now, ...(opts.publicOrigin ? { publicOrigin: opts.publicOrigin } : {}) };
  registerSessionRoutes(app, sc, opts);
  registerMetaRoutes(app, sc);
  registerCaseRoutes(app, sc, opts.contactKey);
  registerCaseContactRoutes(app, sc, opts.contactKey);
  registerRepeatRoutes(app, sc, opts.contactKey);
  registerMediaRoutes(app, sc, opts.media);
  registerAttachmentRoutes(app, sc, opts.media);
  registerListRoutes(app, sc);
  registerReportRoutes(app, sc);
  registerRankingRoutes(app, sc);
  registerHomeRoutes(app, sc);
  registerAuditRoutes(app, sc);
  registerUserRoutes(app, sc);
  registerUnitRoutes(app, sc);
  registerSettingsRoutes(app, sc);
  registerCalendarRoutes(app, sc);
  // The 接诉即办 process (issue 15): 签收 / 退单, 延期, 渐次升级, the inbox.
  registerCaseProcessRoutes(app, sc);
  registerExtensionRoutes(app, sc);
  registerEscalationRoutes(app, sc);
  registerNoticeRoutes(app, sc);
  // Partner systems (issue 19): API keys and signed event webhooks.
  registerApiKeyRoutes(app, sc);
  registerWebhookRoutes(app, { ...sc, contactKey: opts.contactKey });
  // The description of this API, generated from contract/staff/ (public, like the booth API's).
  app.get(STAFF_OPENAPI_PATH, async () => staffOpenApiDocument());
}
