// The resident's session routes: start, record, check, delete, submit (立即上传), print, discard.
// They see only SessionPorts: the session store's calls and the submission's, never the core.
import type { FastifyInstance } from 'fastify';
import type { Language, Receipt } from '../../contract/kiosk.ts';
import { summaryOf, type SessionStore } from '../sessions.ts';
import { registerRoute } from './route.ts';

/** What the resident adds at 立即上传; `realnameRef` names a confirmed card read (api realnameConfirm). */
export interface SubmitDetails {
  phone: string | null;
  category: string | null;
  location: string | null;
  realnameRef?: string | null;
}

export interface SessionPorts {
  sessions: Pick<SessionStore, 'start' | 'get' | 'info' | 'addItem' | 'checked' | 'deleteItem'>;
  now(): number;
  submit(sessionId: string, details: SubmitDetails): Promise<Receipt>;
  printReceipt(submissionId: string, language: Language): Promise<void>;
  discard(sessionId: string): Promise<boolean>;
}

export function registerSessionRoutes(app: FastifyInstance, p: SessionPorts): void {
  const { sessions } = p;
  registerRoute(app, 'startSession', ({ language }) => sessions.info(sessions.start(language, p.now())));
  registerRoute(app, 'getSession', ({ sessionId }) => sessions.info(sessions.get(sessionId)));
  registerRoute(app, 'addItem', async ({ sessionId, kind, mime, camera, replaces }, { body }) => {
    return summaryOf(await sessions.addItem(sessionId, kind, mime, camera ?? null, body ?? Buffer.alloc(0), replaces ?? null));
  });
  registerRoute(app, 'checkedItem', async ({ sessionId, itemId }) => summaryOf(await sessions.checked(sessionId, itemId)));
  registerRoute(app, 'deleteItem', async ({ sessionId, itemId }) => sessions.info(await sessions.deleteItem(sessionId, itemId)));
  registerRoute(app, 'submit', ({ sessionId, phone, category, location, realnameRef }) =>
    p.submit(sessionId, { phone, category, location, realnameRef }),
  );
  registerRoute(app, 'printReceipt', async ({ submissionId, language }) => {
    await p.printReceipt(submissionId, language);
    return { printed: true as const };
  });
  registerRoute(app, 'discardSession', async ({ sessionId }) => ({ discarded: await p.discard(sessionId) }));
}
