// sendLogsTo: every module's logger (children made at import time) follows the switch, logs stay
// redacted in a file, and the previous target comes back.
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type * as LogModule from '../../lib/log.ts';

let dir: string;
let log: typeof LogModule;
const savedLevel = process.env.LOG_LEVEL;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'log-test-'));
  // Under vitest the level defaults to silent; this test needs lines to be written.
  process.env.LOG_LEVEL = 'info';
  vi.resetModules();
  log = await import('../../lib/log.ts');
});

afterAll(async () => {
  if (savedLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = savedLevel;
  await fsp.rm(dir, { recursive: true, force: true });
});

const lines = async (file: string) => (await fsp.readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);

it('a logger made before the switch writes to the file, redacted; off drops; restore goes back in order', async () => {
  const logger = log.createLogger('test.module');
  const file = path.join(dir, 'sub', 'a.log');
  const restoreFile = log.sendLogsTo({ file });
  logger.info({ idNumber: '110106199003071235', port: '/dev/ttyUSB0' }, 'read 110106199003071235');
  expect(await lines(file)).toHaveLength(1);
  const entry = JSON.parse((await lines(file))[0]!) as Record<string, unknown>;
  expect(entry).toMatchObject({ module: 'test.module', idNumber: '[redacted]', port: '/dev/ttyUSB0', msg: 'read [id]' });

  const restoreOff = log.sendLogsTo('off');
  logger.warn('dropped');
  restoreOff();
  logger.info('back in the file');
  expect((await lines(file)).map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['read [id]', 'back in the file']);
  restoreFile();

  const other = path.join(dir, 'b.log');
  const restoreOther = log.sendLogsTo({ file: other });
  logger.info('second file');
  restoreOther();
  expect(await lines(other)).toHaveLength(1);
  expect(await lines(file)).toHaveLength(2);
});
