// The real-name routes (docs/IDCARD.md): the consent-first attempt and the reader's state.
// They see only the reader session's calls, never the identity it holds.
import type { FastifyInstance } from 'fastify';
import type { RealNameService } from '../realname.ts';
import { registerRoute } from './route.ts';

export type RealnamePorts = Pick<RealNameService, 'start' | 'state' | 'retry' | 'confirm' | 'cancel' | 'info' | 'testCard'>;

export function registerRealnameRoutes(app: FastifyInstance, realname: RealnamePorts): void {
  registerRoute(app, 'realnameStart', () => realname.start());
  registerRoute(app, 'realnameState', ({ ref }) => realname.state(ref));
  registerRoute(app, 'realnameRetry', ({ ref }) => realname.retry(ref));
  registerRoute(app, 'realnameConfirm', ({ ref }) => realname.confirm(ref));
  registerRoute(app, 'realnameCancel', ({ ref }) => realname.cancel(ref));
  registerRoute(app, 'reader', () => realname.info());
  registerRoute(app, 'readerTestCard', ({ card }) => realname.testCard(card));
}
