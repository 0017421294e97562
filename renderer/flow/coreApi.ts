// FlowApi on the booth core's contract (renderer/api.ts `call`). A core session is opened only
// when the first item is staged, so a resident who walks away before recording leaves nothing.
// A recording is held for review under an id the kiosk makes (holdItem) while its upload runs
// behind; every call that needs the core's copy waits for that upload through `coreId`.
import type { ErrorCode, ItemSummary } from '../../contract/kiosk.ts';
import { call, CoreError } from '../api.ts';
import type { FlowApi, Outcome } from './api.ts';

/** A version-4 UUID (crypto.randomUUID needs a secure context; getRandomValues does not). */
function localId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

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
  // Uploads under way or done, by the kiosk's id of the item: the core's summary, or why not.
  const held = new Map<string, { key: string; staged: Promise<Outcome<ItemSummary>> }>();
  // Deletions under way: submit must not overtake one (a dropped item would go out with the case).
  const drops = new Set<Promise<unknown>>();
  /** The core's id of an item (after its upload, for a held one); null if the core never got it. */
  const coreId = async (id: string): Promise<string | null> => {
    const h = held.get(id);
    if (!h) return id;
    const o = await h.staged;
    return o.ok ? o.value.itemId : null;
  };
  const stage: FlowApi['stageItem'] = (key, language, kind, blob, camera, replaces) =>
    attempt(async () => {
      const sessionId = await coreSession(key, language);
      const replaced = replaces ? await coreId(replaces) : null;
      return call(
        'addItem',
        {
          sessionId,
          kind,
          mime: blob.type || 'application/octet-stream',
          ...(camera ? { camera } : {}),
          ...(replaced ? { replaces: replaced } : {}),
        },
        blob,
      );
    });
  const forget = (key: string) => {
    for (const [id, h] of held) if (h.key === key) held.delete(id);
  };
  return {
    settings: () => call('config', {}),
    stageItem: stage,
    holdItem(key, language, kind, blob, camera, replaces, durationSec) {
      const itemId = localId();
      const staged = stage(key, language, kind, blob, camera, replaces);
      held.set(itemId, { key, staged });
      const mime = blob.type || 'application/octet-stream';
      const item: ItemSummary = { itemId, kind, mime, size: blob.size, durationSec, camera, posterDataUrl: null };
      return { item, staged: staged.then((o): Outcome<ItemSummary> => (o.ok ? { ok: true, value: { ...o.value, itemId } } : o)) };
    },
    checkItem: (key, itemId) =>
      attempt(async () => {
        const h = held.get(itemId);
        if (h) {
          const o = await h.staged;
          if (!o.ok) throw new CoreError({ code: o.error, message: 'the upload to the core failed' });
        }
        const s = sessions.get(key);
        const id = await coreId(itemId);
        if (!s || !id) throw new CoreError({ code: 'session_closed', message: 'no session' });
        return { ...(await call('checkedItem', { sessionId: await s, itemId: id })), itemId };
      }),
    async dropItem(key, itemId) {
      const s = sessions.get(key);
      if (!s) return;
      const drop = (async () => {
        const id = await coreId(itemId);
        if (id) await call('deleteItem', { sessionId: await s, itemId: id }).catch(() => undefined);
      })();
      drops.add(drop);
      await drop;
      drops.delete(drop);
    },
    async discardSession(key) {
      const s = sessions.get(key);
      sessions.delete(key);
      forget(key);
      if (s) await call('discardSession', { sessionId: await s }).catch(() => undefined);
    },
    submit: (input) =>
      attempt(async () => {
        const s = sessions.get(input.sessionKey);
        if (!s) throw new CoreError({ code: 'no_items', message: 'nothing staged' });
        // Submit waits only for what is not done yet: the uploads of held recordings, and deletions.
        for (const id of input.itemIds) {
          const h = held.get(id);
          const o = h ? await h.staged : null;
          if (o && !o.ok) throw new CoreError({ code: o.error, message: 'an item did not reach the core' });
        }
        await Promise.all([...drops]);
        const r = await call('submit', {
          sessionId: await s,
          phone: input.phone,
          category: input.category,
          location: input.location,
          realnameRef: input.realnameRef,
        });
        sessions.delete(input.sessionKey);
        forget(input.sessionKey);
        return { caseNumber: r.caseNumber, submissionId: r.submissionId, residentNumber: r.residentNumber, statusUrl: r.statusUrl };
      }),
    printReceipt: (submissionId, language) =>
      call('printReceipt', { submissionId, language }).then(
        () => true,
        () => false,
      ),
  };
}
