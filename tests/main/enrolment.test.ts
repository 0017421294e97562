// The booth's enrolment as the running core sees it (main/enrolment.ts): the out-of-service
// decision (pure), and the credential watch over a real data folder: a credential written by
// provisioning is taken with its booth code, address and CA; a refusal takes the kiosk out of
// service until the back office answers again. No network: the link's calls are recorded.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoothConfig } from '../../main/config.ts';
import { CREDENTIAL_WATCH_MS, Enrolment, outOfServiceFor } from '../../main/enrolment.ts';
import { Live } from '../../main/live.ts';
import { manualClock } from '../support/manualClock.ts';

describe('out of service', () => {
  const ok = { intakeUrl: 'https://intake.example', token: 'sb1.FT01.x', seen: 'sb1.FT01.x', refused: null };
  it('not enrolled without an address or a credential, or while a new credential is not taken yet', () => {
    expect(outOfServiceFor(ok)).toBeNull();
    expect(outOfServiceFor({ ...ok, intakeUrl: null })).toBe('not_enrolled');
    expect(outOfServiceFor({ ...ok, token: null })).toBe('not_enrolled');
    expect(outOfServiceFor({ ...ok, seen: 'sb1.FT01.old' })).toBe('not_enrolled');
  });
  it('revoked while the back office refuses this very credential', () => {
    expect(outOfServiceFor({ ...ok, refused: 'sb1.FT01.x' })).toBe('revoked');
    expect(outOfServiceFor({ ...ok, refused: 'sb1.FT01.old' })).toBeNull();
  });
});

describe('the credential watch', () => {
  it('takes a provisioned credential with its booth code, address and CA; a refusal and a success move the kiosk', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'enrol-'));
    mkdirSync(path.join(dir, 'keys'));
    const started = BoothConfig.parse({ boothCode: 'SIM01' });
    const config = new Live(started);
    const calls: string[] = [];
    const closing = new AbortController();
    const time = manualClock(0);
    const enrolment = new Enrolment({
      dataDir: dir,
      started: { intakeUrl: null, config: started },
      config,
      clock: time.clock,
      closing: closing.signal,
      onIdentity: (ca, moved) => calls.push(`identity ca=${ca?.toString() ?? 'none'} moved=${moved}`),
      onChange: () => calls.push('change'),
      onCredential: () => calls.push('deliver'),
    });
    expect(enrolment.outOfService()).toBe('not_enrolled');
    enrolment.watch();
    time.advance(CREDENTIAL_WATCH_MS);
    expect(calls).toEqual([]);

    // booth provision writes the CA and booth.json first, then the credential.
    writeFileSync(path.join(dir, 'ca.pem'), 'CA');
    writeFileSync(
      path.join(dir, 'booth.json'),
      JSON.stringify({ boothCode: 'FT01', intakeUrl: 'https://intake.example', intakeCaFile: path.join(dir, 'ca.pem') }),
    );
    writeFileSync(path.join(dir, 'keys', 'intake.token'), 'sb1.FT01.secret\n');
    expect(enrolment.outOfService()).toBe('not_enrolled'); // written, not taken yet
    time.advance(CREDENTIAL_WATCH_MS); // the watch finds it
    // Never enrolled before: the address is the one booth.json now names, so it has not moved.
    expect(calls).toEqual(['identity ca=CA moved=false', 'deliver', 'change']);
    expect(config.value.boothCode).toBe('FT01');
    expect(enrolment.intakeUrl).toBe('https://intake.example');
    expect(enrolment.outOfService()).toBeNull();
    time.advance(CREDENTIAL_WATCH_MS); // the same credential again: nothing
    expect(calls).toHaveLength(3);

    enrolment.noteAnswer('sb1.FT01.secret', 401);
    expect(enrolment.outOfService()).toBe('revoked');
    enrolment.noteAnswer('sb1.FT01.secret', 200);
    expect(enrolment.outOfService()).toBeNull();
    expect(calls.slice(3)).toEqual(['change', 'change']);

    enrolment.stop();
    expect(time.pending()).toEqual([]);
    closing.abort(); // answers after close change nothing
    enrolment.noteAnswer('sb1.FT01.secret', 403);
    expect(enrolment.outOfService()).toBeNull();
  });
});
