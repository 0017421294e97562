// The real-name flow through the booth core's API, against the simulator on a real pty and the real
// intake: consent first, masked identity, sealed at rest and in transit, deleted after delivery,
// nothing left for the next resident.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKey, unsealJson } from '../../lib/sealed.ts';
import { readIdentity } from '../../intake/identity.ts';
import type { RealNameState } from '../../contract/kiosk.ts';
import { sampleWebm } from '../support/fakeMedia.ts';
import { coreFetch, eventually, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

async function api<T>(pathname: string, body?: unknown): Promise<{ status: number; ok: boolean; value: T; error?: { code: string } }> {
  const init: RequestInit =
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await coreFetch(stack, pathname, init);
  const json = (await res.json()) as { ok: boolean; value: T; error?: { code: string } };
  return { status: res.status, ...json };
}

const testCard = (card: string | null) => api('/api/reader/test-card', { card });
/** Takes the card away and waits until the reader has seen it go (a swap faster than one poll is
 * not a removal: the driver then keeps treating the reader as holding the earlier card). */
const clearReader = async () => {
  await testCard(null);
  await eventually(async () => !(await api<{ cardOnReader: boolean }>('/api/reader')).value.cardOnReader, 'reader empty');
};
const stateOf = async (ref: string) => (await api<RealNameState>(`/api/realname/${ref}`)).value;
const waitPhase = (ref: string, phase: RealNameState['phase']) =>
  eventually(async () => {
    const s = await stateOf(ref);
    return s.phase === phase ? s : null;
  }, `phase ${phase}`);

describe('real name at the booth', () => {
  it('the reader is the simulator here, and ready', async () => {
    await eventually(async () => (await api<{ state: string }>('/api/reader')).value.state === 'ready', 'reader ready');
    expect((await api('/api/reader')).value).toEqual({
      state: 'ready',
      simulated: true,
      cardOnReader: false,
      testCard: null,
      resends: 0,
      retries: 0,
    });
  });

  it('no read happens before consent', async () => {
    await testCard('resident');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await api<{ cardOnReader: boolean }>('/api/reader')).value.cardOnReader).toBe(false);
    const refused = await api('/api/realname', { consent: false });
    expect(refused.status).toBe(400);
  });

  it('consent → read → masked identity → confirm → submit: sealed on the booth, sealed at the intake, gone from the booth after delivery', async () => {
    const started = await api<RealNameState>('/api/realname', { consent: true });
    expect(started.value.phase).toBe('waiting');
    const ref = started.value.ref;
    const read = await waitPhase(ref, 'read');
    expect(read.identity).toEqual({ cardType: 'resident', name: '张测试', idNumberMasked: '110***********1235', photo: null });
    expect(JSON.stringify(read)).not.toContain('110106199003071235');
    expect((await api<RealNameState>(`/api/realname/${ref}/confirm`, {})).value.phase).toBe('confirmed');

    const session = (await api<{ sessionId: string }>('/api/sessions', {})).value.sessionId;
    const media = await readFile(sampleWebm());
    const put = await coreFetch(stack, `/api/sessions/${session}/items?kind=video&mime=video%2Fwebm&camera=face`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm' },
      body: media,
    });
    expect(put.status).toBe(200);
    const receipt = await api<{ caseNumber: string }>(`/api/sessions/${session}/submit`, { phone: '13800000000', realnameRef: ref });
    expect(receipt.ok).toBe(true);

    // On the booth: sealed, and the identity inside is sealed again to the intake.
    const row = stack.core.outbox.get(session);
    if (row?.personalSealed) expect(row.personalSealed.toString('latin1')).not.toContain('110106199003071235');
    // The core forgot it at once.
    expect((await api(`/api/realname/${ref}`)).error?.code).toBe('realname_expired');

    await eventually(() => stack.core.outbox.get(session)!.deliveredAt, 'delivery');
    expect(stack.core.outbox.get(session)!.personalSealed).toBeNull();

    const c = (await stack.intake.db
      .selectFrom('cases')
      .select(['identity_sealed', 'real_name', 'contact_sealed'])
      .where('id', '=', session)
      .executeTakeFirst())!;
    expect(c.real_name).toBe(1);
    expect(c.identity_sealed).not.toBeNull();
    const onDisk = Buffer.from(c.identity_sealed!, 'base64').toString('latin1');
    expect(onDisk).not.toContain('110106199003071235');
    expect(c.identity_sealed).not.toContain('110106199003071235');
    // What a staff reveal decrypts (intake/staff/routes.ts) with the intake's contact key.
    const contactKey = await loadOrCreateKey(path.join(stack.root, 'intake', 'keys', 'contact.key'));
    const identity = readIdentity({ contact_sealed: c.contact_sealed, identity_sealed: c.identity_sealed }, contactKey) as Record<
      string,
      unknown
    >;
    expect(identity).toMatchObject({
      name: '张测试',
      idNumber: '110106199003071235',
      address: '北京市丰台区测试路1号院8号楼2单元101室',
      phone: '13800000000',
    });
    // The raw WLT photo is kept too (sealed); the staff reveal returns only the four fields above.
    const stored = unsealJson<{ photoWlt: string }>(Buffer.from(c.identity_sealed!, 'base64'), contactKey);
    expect(Buffer.from(stored.photoWlt, 'base64')).toHaveLength(1024);
  });

  it('the card left on the reader does not leak into the next session', async () => {
    // Still lying there from the previous resident.
    const next = (await api<RealNameState>('/api/realname', { consent: true })).value;
    await new Promise((r) => setTimeout(r, 1500));
    const s = await stateOf(next.ref);
    expect(s.phase).toBe('waiting');
    expect(s.identity).toBeNull();
    expect(s.cardOnReader).toBe(true);
    await testCard(null);
    await eventually(async () => !(await stateOf(next.ref)).cardOnReader, 'card taken away');
    await testCard('resident-long-term');
    expect((await waitPhase(next.ref, 'read')).identity?.name).toBe('李样例');
    await api(`/api/realname/${next.ref}/cancel`, {});
    expect((await api(`/api/realname/${next.ref}`)).status).toBe(409);
    await clearReader();
  });

  it('an unreadable card is an error with retry; a wrong card type says so', async () => {
    const { ref } = (await api<RealNameState>('/api/realname', { consent: true })).value;
    await testCard('bad-check-digit');
    expect((await waitPhase(ref, 'error')).error).toBe('unreadable');
    await testCard(null);
    await new Promise((r) => setTimeout(r, 800)); // the reader sees the empty field
    await api(`/api/realname/${ref}/retry`, {});
    await testCard('foreign-2023');
    expect((await waitPhase(ref, 'read')).identity).toMatchObject({ cardType: 'foreign-2023', idNumberMasked: '931***********0030' });
    await api(`/api/realname/${ref}/cancel`, {});
    await clearReader();
  });

  it('a card that moved during the read (one SW3 41) is read on the retry, and the reader status counts it', async () => {
    const before = (await api<{ retries: number }>('/api/reader')).value.retries;
    const { ref } = (await api<RealNameState>('/api/realname', { consent: true })).value;
    stack.core.realname.simulator!.reader.faultOnce('readBase', { sw3: 0x41 });
    await testCard('resident');
    expect((await waitPhase(ref, 'read')).identity).toMatchObject({ cardType: 'resident', idNumberMasked: '110***********1235' });
    expect((await api<{ retries: number; resends: number }>('/api/reader')).value).toMatchObject({ retries: before + 1, resends: 0 });
    await api(`/api/realname/${ref}/cancel`, {});
    await clearReader();
  });

  it('the reader unplugged: reader_unavailable, a retry while unplugged says so again, back to waiting when it returns', async () => {
    const { ref } = (await api<RealNameState>('/api/realname', { consent: true })).value;
    await stack.core.realname.simulator!.disconnect();
    expect((await waitPhase(ref, 'error')).error).toBe('reader_unavailable');
    expect((await api<RealNameState>(`/api/realname/${ref}/retry`, {})).value).toMatchObject({
      phase: 'error',
      error: 'reader_unavailable',
    });
    await stack.core.realname.simulator!.reconnect();
    await waitPhase(ref, 'waiting');
    await api(`/api/realname/${ref}/cancel`, {});
  });

  it('the reader unplugged, then back: 再试一次 leaves it waiting and a card is read', async () => {
    const { ref } = (await api<RealNameState>('/api/realname', { consent: true })).value;
    await stack.core.realname.simulator!.disconnect();
    expect((await waitPhase(ref, 'error')).error).toBe('reader_unavailable');
    await stack.core.realname.simulator!.reconnect();
    await eventually(() => stack.core.realname.info().state === 'ready', 'the reader back');
    expect((await api<RealNameState>(`/api/realname/${ref}/retry`, {})).value).toMatchObject({ phase: 'waiting', error: null });
    await testCard('resident');
    expect((await waitPhase(ref, 'read')).identity).toMatchObject({ cardType: 'resident' });
    await api(`/api/realname/${ref}/cancel`, {});
    await clearReader();
  });

  it('discarding the session forgets a confirmed identity; submit then refuses the stale reference', async () => {
    const { ref } = (await api<RealNameState>('/api/realname', { consent: true })).value;
    await testCard('hk-mo-tw');
    await waitPhase(ref, 'read');
    await api(`/api/realname/${ref}/confirm`, {});
    const session = (await api<{ sessionId: string }>('/api/sessions', {})).value.sessionId;
    await api(`/api/sessions/${session}/discard`, {});
    expect((await api(`/api/realname/${ref}`)).error?.code).toBe('realname_expired');
    const other = (await api<{ sessionId: string }>('/api/sessions', {})).value.sessionId;
    const media = await readFile(sampleWebm());
    await coreFetch(stack, `/api/sessions/${other}/items?kind=video&mime=video%2Fwebm`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm' },
      body: media,
    });
    const refused = await api(`/api/sessions/${other}/submit`, { realnameRef: ref });
    expect(refused.error?.code).toBe('realname_expired');
    await clearReader();
  });
});

describe('a booth with a licensed WLT decoder installed', () => {
  it('shows the decoded photo instead of the placeholder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wlt-'));
    const decoder = path.join(dir, 'decoder.mjs');
    // Stands in for a vendor library wrapper: returns a tiny fixed PNG-typed payload.
    writeFileSync(
      decoder,
      `export default () => ({ name: 'test', async decode(w) { return { mime: 'image/png', bytes: new Uint8Array([137, 80, 78, 71, w.length & 255]) }; } });`,
    );
    const other = await startStack({ idcard: { wltDecoderModule: decoder, testCard: 'resident' } });
    try {
      await eventually(() => other.core.realname.info().state === 'ready', 'reader ready');
      const post = async <T>(p: string) =>
        (await (
          await coreFetch(other, p, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ consent: true }),
          })
        ).json()) as { value: T };
      const { ref } = (await post<RealNameState>('/api/realname')).value;
      const photo = await eventually(async () => {
        const st = ((await (await coreFetch(other, `/api/realname/${ref}`)).json()) as { value: RealNameState }).value;
        return st.identity?.photo ?? null;
      }, 'decoded photo');
      expect(photo).toBe(`data:image/png;base64,${Buffer.from([137, 80, 78, 71, 0]).toString('base64')}`);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
