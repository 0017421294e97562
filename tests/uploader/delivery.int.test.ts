// Delivery between the real booth core and the real intake over HTTP on 127.0.0.1.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadOrCreateKey } from '../../lib/sealed.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest } from '../../uploader/worker.ts';
import { sampleWebm } from '../support/fakeMedia.ts';
import { coreFetch, eventually, startStack, type Stack } from '../support/stack.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function recordAndSubmit(s: Stack): Promise<{ submissionId: string; caseNumber: string }> {
  const started = (await (
    await coreFetch(s, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  ).json()) as {
    value: { sessionId: string };
  };
  const id = started.value.sessionId;
  const put = await coreFetch(s, `/api/sessions/${id}/items?kind=video&mime=video/webm&camera=face`, {
    method: 'PUT',
    headers: { 'content-type': 'video/webm' },
    body: await readFile(sampleWebm()),
  });
  expect(put.status).toBe(200);
  const res = await coreFetch(s, `/api/sessions/${id}/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"phone":"13800000000"}',
  });
  const body = (await res.json()) as { ok: boolean; value: { submissionId: string; caseNumber: string } };
  expect(body.ok).toBe(true);
  return body.value;
}

describe('delivery', () => {
  it('the same submission sent twice (booth restarted before it recorded delivery) gives one case', async () => {
    stack = await startStack();
    await stack.core.worker.stop(); // deliver by hand to simulate the crash window
    const { submissionId, caseNumber } = await recordAndSubmit(stack);
    const client = stack.core.client;
    const row = stack.core.outbox.get(submissionId)!;
    const items = stack.core.outbox.items(submissionId);
    const key = await loadOrCreateKey(path.join(stack.root, 'booth', 'keys', 'booth.key'));
    // First delivery reaches the intake, but the booth "dies" before recording it.
    for (const it of items) {
      const up = await client.uploadItem(
        {
          file: `${stack.core.mediaDir}/${it.file}`,
          size: it.size,
          sha256: it.sha256,
          submissionId,
          index: it.idx,
          uploadUrl: null,
          sealingKey: key,
        },
        () => {},
      );
      expect(up.ok).toBe(true);
    }
    const manifest = buildManifest(row, items, key);
    const first = await client.finalise(manifest);
    expect(first.ok && first.ack.caseNumber).toBe(caseNumber);
    // The booth restarts: the row is still "saved"; the worker delivers again.
    expect(stack.core.outbox.get(submissionId)!.state).toBe('saved');
    stack.core.worker.start();
    await eventually(() => stack!.core.outbox.get(submissionId)!.deliveredAt, 'redelivery');
    expect(await stack.intake.store.countCases()).toBe(1);
    // Personal data left the booth with the delivery.
    expect(stack.core.outbox.get(submissionId)!.personalSealed).toBeNull();
    // And the phone is not stored in clear at the intake.
    const c = (await stack.intake.store.caseById(submissionId))!;
    expect(c.contact_sealed).not.toBeNull();
    expect(c.contact_sealed).not.toContain('13800000000');
  });

  it('an intake that is down leaves the submission waiting; it is delivered when the intake returns', async () => {
    stack = await startStack();
    await stack.stopIntake();
    const { submissionId } = await recordAndSubmit(stack);
    await eventually(() => stack!.core.outbox.get(submissionId)!.state === 'failed', 'a failed attempt');
    const status = (await (await coreFetch(stack, '/api/status')).json()) as {
      value: { outbox: { waiting: number; lastError: string | null } };
    };
    expect(status.value.outbox.waiting).toBe(1);
    expect(status.value.outbox.lastError).toMatch(/network/);
    await stack.startIntake();
    await eventually(() => stack!.core.outbox.get(submissionId)!.deliveredAt, 'delivery after the intake returned');
    expect(await stack.intake.store.countCases()).toBe(1);
  });
});
