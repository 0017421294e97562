import { describe, expect, it } from 'vitest';
import { canonicalJson, decideIdempotent, fingerprint, parseIdempotencyKey, type KeyRecord } from '../../intake/idempotency.ts';

const KEY = '6f1c2d9e-8a0b-4c1d-9e2f-3a4b5c6d7e8f';
const NOW = 1_800_000_000_000;

describe('idempotency: header', () => {
  it.each([
    [`"${KEY}"`, KEY],
    [KEY, KEY],
    [[`"${KEY}"`, '"other"'], KEY],
    [undefined, null],
    ['', null],
    ['""', null],
    ['"has space"', null],
    [`"${'a'.repeat(256)}"`, null],
  ])('%j → %j', (header, expected) => {
    expect(parseIdempotencyKey(header as string | string[] | undefined)).toBe(expected);
  });
});

describe('idempotency: fingerprint', () => {
  it('ignores key order, not values', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe('{"a":[{"x":1,"y":2}],"b":1}');
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});

describe('idempotency: decision table', () => {
  const fp = fingerprint({ id: KEY });
  const other = fingerprint({ id: KEY, extra: true });
  const done: KeyRecord = { state: 'done', fingerprint: fp, response: { status: 201, body: { caseNumber: 'A-1' } } };
  const running: KeyRecord = { state: 'in_progress', fingerprint: fp, leaseUntil: NOW + 1_000 };
  const endsNow: KeyRecord = { state: 'in_progress', fingerprint: fp, leaseUntil: NOW };
  const stale: KeyRecord = { state: 'in_progress', fingerprint: fp, leaseUntil: NOW - 10 * 60_000 };

  it.each([
    ['no key', null, undefined, fp, { kind: 'reject', status: 400 }],
    ['first use', KEY, undefined, fp, { kind: 'proceed' }],
    ['replay, same body', KEY, done, fp, { kind: 'replay', response: done.state === 'done' ? done.response : null }],
    ['replay, different body', KEY, done, other, { kind: 'reject', status: 422 }],
    ['concurrent duplicate', KEY, running, fp, { kind: 'reject', status: 409 }],
    ['concurrent duplicate, different body', KEY, running, other, { kind: 'reject', status: 422 }],
    ['abandoned in-progress mark', KEY, stale, fp, { kind: 'proceed' }],
    ['lease ending this very millisecond', KEY, endsNow, fp, { kind: 'proceed' }],
    ['abandoned mark, different body', KEY, stale, other, { kind: 'reject', status: 422 }],
    ['a replay keeps the first status (201)', KEY, done, fp, { kind: 'replay', response: { status: 201 } }],
  ] as const)('%s', (_label, key, existing, bodyFp, expected) => {
    expect(decideIdempotent(key, existing, bodyFp, NOW)).toMatchObject(expected);
  });
});
