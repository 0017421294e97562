import { describe, expect, it } from 'vitest';
import {
  initialUpdateState,
  MAX_VERIFY_STARTS,
  nextUpdateState,
  type UpdateEvent,
  type UpdateState,
} from '../../../main/update/rollback.ts';

function run(events: UpdateEvent[], s: UpdateState = initialUpdateState('1.0.0')) {
  const effects = [];
  for (const e of events) {
    const r = nextUpdateState(s, e);
    s = r.state;
    effects.push(...r.effects.filter((x) => x.type !== 'log'));
  }
  return { state: s, effects };
}

describe('update install, self-test and rollback', () => {
  it('a new version that passes its self-test becomes stable', () => {
    const r = run([
      { type: 'install-started', from: '1.0.0', to: '1.1.0' },
      { type: 'started', version: '1.1.0' },
      { type: 'self-test-passed' },
    ]);
    expect(r.state).toEqual({ phase: 'stable', version: '1.1.0', rejected: [] });
    expect(r.effects).toEqual([{ type: 'run-self-test' }]);
  });

  it('a failing self-test rolls back to the previous version and rejects the new one for good', () => {
    const r = run([
      { type: 'install-started', from: '1.0.0', to: '1.1.0' },
      { type: 'started', version: '1.1.0' },
      { type: 'self-test-failed' },
      { type: 'started', version: '1.0.0' },
    ]);
    expect(r.state).toEqual({ phase: 'stable', version: '1.0.0', rejected: ['1.1.0'] });
    expect(r.effects).toEqual([{ type: 'run-self-test' }, { type: 'reinstall-previous', version: '1.0.0' }]);
  });

  it(`a version that dies ${MAX_VERIFY_STARTS} times before finishing its self-test is rolled back`, () => {
    const starts: UpdateEvent[] = Array.from({ length: MAX_VERIFY_STARTS + 1 }, () => ({ type: 'started', version: '1.1.0' }));
    const r = run([{ type: 'install-started', from: '1.0.0', to: '1.1.0' }, ...starts]);
    expect(r.state.phase).toBe('rolling-back');
    expect(r.effects.at(-1)).toEqual({ type: 'reinstall-previous', version: '1.0.0' });
    expect(r.effects.filter((e) => e.type === 'run-self-test')).toHaveLength(MAX_VERIFY_STARTS);
  });

  it('keeps asking for the reinstall until the old version is running again', () => {
    const r = run([
      { type: 'install-started', from: '1.0.0', to: '1.1.0' },
      { type: 'started', version: '1.1.0' },
      { type: 'self-test-failed' },
      { type: 'started', version: '1.1.0' },
    ]);
    expect(r.state.phase).toBe('rolling-back');
    expect(r.effects.at(-1)).toEqual({ type: 'reinstall-previous', version: '1.0.0' });
  });

  it('an install that did not take leaves the booth stable on the old version, not rejected', () => {
    const r = run([
      { type: 'install-started', from: '1.0.0', to: '1.1.0' },
      { type: 'started', version: '1.0.0' },
    ]);
    expect(r.state).toEqual({ phase: 'stable', version: '1.0.0', rejected: [] });
  });

  it('ignores self-test results and second installs outside their phase', () => {
    const s = initialUpdateState('1.0.0');
    expect(nextUpdateState(s, { type: 'self-test-failed' }).state).toBe(s);
    const installing = run([{ type: 'install-started', from: '1.0.0', to: '1.1.0' }]).state;
    expect(nextUpdateState(installing, { type: 'install-started', from: '1.0.0', to: '1.2.0' }).state).toBe(installing);
  });
});
