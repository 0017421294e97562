// FlowApi on the booth core's contract (renderer/api.ts `call`). A core session is opened only
// when the first item is staged, so a resident who walks away before recording leaves nothing.
import type { ErrorCode } from '../../contract/kiosk.ts';
import { call, CoreError } from '../api.ts';
import type { FlowApi, Outcome } from './api.ts';

function codeOf(e: unknown): ErrorCode {
  return e instanceof CoreError ? e.error.code : 'internal';
}

async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: codeOf(e) };
  }
}

export function createCoreFlowApi(): FlowApi {
  const sessions = new Map<string, Promise<string>>();
  const coreSession = (key: string, language: 'zh-CN' | 'en') => {
    let s = sessions.get(key);
    if (!s) {
      s = call('startSession', { language }).then((r) => r.sessionId);
      s.catch(() => sessions.delete(key));
      sessions.set(key, s);
    }
    return s;
  };
  return {
    settings: () => call('config', {}),
    stageItem: (key, language, kind, blob, camera, replaces) =>
      attempt(async () => {
        const sessionId = await coreSession(key, language);
        return call(
          'addItem',
          {
            sessionId,
            kind,
            mime: blob.type || 'application/octet-stream',
            ...(camera ? { camera } : {}),
            ...(replaces ? { replaces } : {}),
          },
          blob,
        );
      }),
    checkItem: (key, itemId) =>
      attempt(async () => {
        const s = sessions.get(key);
        if (!s) throw new CoreError({ code: 'session_closed', message: 'no session' });
        return call('checkedItem', { sessionId: await s, itemId });
      }),
    async dropItem(key, itemId) {
      const s = sessions.get(key);
      if (s) await call('deleteItem', { sessionId: await s, itemId }).catch(() => undefined);
    },
    async discardSession(key) {
      const s = sessions.get(key);
      sessions.delete(key);
      if (s) await call('discardSession', { sessionId: await s }).catch(() => undefined);
    },
    submit: (input) =>
      attempt(async () => {
        const s = sessions.get(input.sessionKey);
        if (!s) throw new CoreError({ code: 'no_items', message: 'nothing staged' });
        const r = await call('submit', {
          sessionId: await s,
          phone: input.phone,
          category: input.category,
          location: input.location,
          realnameRef: input.realnameRef,
        });
        sessions.delete(input.sessionKey);
        return { caseNumber: r.caseNumber, submissionId: r.submissionId, residentNumber: r.residentNumber, statusUrl: r.statusUrl };
      }),
    printReceipt: (submissionId, language) =>
      call('printReceipt', { submissionId, language }).then(
        () => true,
        () => false,
      ),
  };
}
