import { describe, expect, it } from 'vitest';
import { redact, redactLine, scrubText } from '../../lib/redact.ts';
import { CORPUS_LINES, KEPT_LINES, leaksIn } from '../fixtures/redaction/corpus.ts';

describe('redaction', () => {
  it.each([
    ['身份证 11010519491231002X 已读', '身份证 [id] 已读'],
    ['call 13812345678 back', 'call [phone] back'],
    ['landline 010-62345678', 'landline [phone]'],
    ['call 138 1234 5678 or 138-1234-5678 or +86 13812345678', 'call [phone] or [phone] or [phone]'],
    ['id 110105 19491231 002x', 'id [id]'],
    ['SB1.TK01.AbCdEfGhIjKlMnOpQrSt refused', '[credential] refused'],
    ['Authorization: Bearer abc.def', 'Authorization: [redacted]'],
    ['{"pin":"4711","x":1}', '{"pin":"[redacted]","x":1}'],
    ['case FT01-20261123-0007 saved', 'case FT01-20261123-0007 saved'],
    [
      'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    ],
  ])('%s', (input, output) => expect(scrubText(input)).toBe(output));

  it('the planted corpus: nothing personal or secret survives a line, and plain lines are kept', () => {
    for (const line of CORPUS_LINES) expect(leaksIn(redactLine(line)), line).toEqual([]);
    for (const line of KEPT_LINES) expect(redactLine(line)).toBe(line);
  });

  it('the planted corpus through the logger and its copy on disk (lib/log.ts keepLogCopyIn)', async () => {
    const { createLogger, keepLogCopyIn, sendLogsTo } = await import('../../lib/log.ts');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'redact-copy-'));
    const restore = sendLogsTo('off');
    const stop = keepLogCopyIn(dir);
    const log = createLogger('corpus');
    log.level = 'info';
    for (const line of CORPUS_LINES) {
      log.info(line);
      if (line.startsWith('{')) {
        const { msg, ...fields } = JSON.parse(line) as { msg?: string };
        log.info(fields, msg ?? '');
      }
    }
    stop();
    restore();
    const written = readFileSync(path.join(dir, 'booth.log'), 'utf8');
    expect(written.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(CORPUS_LINES.length);
    expect(leaksIn(written)).toEqual([]);
  });

  it('replaces personal and secret fields at any depth and scrubs strings', () => {
    const out = redact({
      name: '张三',
      card: { idNumber: '11010519491231002X', address: '北京' },
      note: 'tel 13812345678',
      list: [{ phone: '1' }],
      headers: { 'x-api-key': 'k', Authorization: 'Bearer t' },
      intakeToken: 'sb1.a.b',
    });
    expect(out).toEqual({
      name: '[redacted]',
      card: { idNumber: '[redacted]', address: '[redacted]' },
      note: 'tel [phone]',
      list: [{ phone: '[redacted]' }],
      headers: { 'x-api-key': '[redacted]', Authorization: '[redacted]' },
      intakeToken: '[redacted]',
    });
  });

  it('survives cycles and errors', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(redact(a)).toEqual({ self: '[cycle]' });
    const out = redact(new TypeError('id 11010519491231002X')) as { type: string; message: string; stack: string };
    expect(out).toMatchObject({ type: 'TypeError', message: 'id [id]' });
    // The stack is kept (type, message, frames) with its values masked (issue 14 item 4).
    expect(out.stack).toMatch(/^TypeError: id \[id\]\n\s+at /);
    expect(out.stack).not.toMatch(/11010519491231002X/);
  });

  it('a logged Error keeps its type and stack through the logger', async () => {
    const { createLogger, sendLogsTo } = await import('../../lib/log.ts');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'redact-')), 'log.jsonl');
    const restore = sendLogsTo({ file });
    const log = createLogger('redact-test');
    log.level = 'info';
    log.error({ err: new RangeError('phone 13812345678 refused') }, 'it failed');
    restore();
    const line = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()!) as {
      err: { type: string; message: string; stack: string };
    };
    expect(line.err.type).toBe('RangeError');
    expect(line.err.message).toBe('phone [phone] refused');
    expect(line.err.stack).toMatch(/RangeError: phone \[phone\] refused\n\s+at /);
  });
});
