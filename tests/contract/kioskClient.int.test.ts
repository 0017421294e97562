// The one client of the kiosk API (contract/kioskClient.ts), as the Electron shell uses it from Node
// (main/electron/main.ts reads /api/config and checks /api/status after an update) and the renderer
// from the page: against a real booth core on 127.0.0.1, a good token gets the endpoint's value
// checked by its schema, a wrong one the core's `unauthorized`, a core that is gone `internal`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCore } from '../../contract/kioskClient.ts';
import { BoothConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';

describe('callCore', () => {
  let dir: string;
  let core: BoothCore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-client-'));
    core = await BoothCore.create({ dataDir: dir, config: BoothConfig.parse({ port: 0, boothCode: 'FT10' }), intakeUrl: null });
    await core.listen(0);
  });
  afterAll(async () => {
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the config and the status with the token, is refused without it, and says when the core is gone', async () => {
    const base = new URL(core.url).origin;
    const config = await callCore(base, core.token, 'config', {});
    expect(config.ok).toBe(true);
    if (config.ok) expect(config.value.backOffice).toBeDefined();
    expect((await callCore(base, core.token, 'status', {})).ok).toBe(true);
    expect(await callCore(base, 'not-the-token', 'config', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await core.close();
    expect(await callCore(base, core.token, 'status', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'booth core unreachable' },
    });
  });
});
