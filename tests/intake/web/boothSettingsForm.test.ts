// The staff app's booth settings form, as pure functions: round trip, and a table of what an admin
// may type wrong, each with the field (and line) its error is shown next to.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOOTH_SETTINGS, type BoothSettingsEdit } from '../../../contract/booth.ts';
import { BOUNDS, fromForm, toForm, type FieldError, type SettingsForm } from '../../../intake/web/boothSettingsForm.ts';

const base = (): SettingsForm => toForm({ ...DEFAULT_BOOTH_SETTINGS, revision: 4 });

describe('booth settings form', () => {
  it('shows the settings and gives them back unchanged (without the revision and the intake-owned categories and status address)', () => {
    const s = {
      ...DEFAULT_BOOTH_SETTINGS,
      revision: 9,
      idleTimeoutSec: 45,
      quickPickPlaces: ['村委会门口', '东门菜市场'],
      receiptText: '谢谢您的反映',
      uploadWindows: [
        { start: '22:00', end: '06:00' },
        { start: '12:00', end: '13:30' },
      ],
      prompts: { 'start.title': '有事您说话', 'start.line.en': 'Tell us' },
      quietHours: { start: '02:00', end: '05:00' },
      updatesEnabled: false,
    };
    const { revision: _r, categories: _c, statusBaseUrl: _u, ...edit } = s;
    expect(fromForm(toForm(s))).toEqual({ ok: true, value: edit });
  });

  it.each<[string, Partial<SettingsForm>, Partial<BoothSettingsEdit>]>([
    [
      'blank lines and spaces around entries are ignored',
      { quickPickPlaces: '\n  村委会门口 \n\n东门菜市场\n' },
      { quickPickPlaces: ['村委会门口', '东门菜市场'] },
    ],
    [
      'a window may be written with a Chinese dash or 至, hours without a leading zero',
      { uploadWindows: '22:00–6:00\n9:00 至 11:00' },
      {
        uploadWindows: [
          { start: '22:00', end: '06:00' },
          { start: '09:00', end: '11:00' },
        ],
      },
    ],
    ['a prompt text may itself contain "="', { prompts: 'start.title = 1+1=2' }, { prompts: { 'start.title': '1+1=2' } }],
    [
      'the smallest idle timeout the schema allows',
      { idleTimeoutSec: String(BOUNDS.idleTimeoutSec.min) },
      { idleTimeoutSec: BOUNDS.idleTimeoutSec.min },
    ],
    ['a longer idle warning', { idleTimeoutSec: '120', idleWarningSec: '45' }, { idleTimeoutSec: 120, idleWarningSec: 45 }],
  ])('accepts: %s', (_name, patch, expected) => {
    const r = fromForm({ ...base(), ...patch });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject(expected);
  });

  it.each<[string, Partial<SettingsForm>, FieldError[]]>([
    [
      'idle timeout below the minimum',
      { idleTimeoutSec: String(BOUNDS.idleTimeoutSec.min - 1) },
      [{ field: 'idleTimeoutSec', line: null, kind: 'rule' }],
    ],
    [
      'idle timeout not a number (one message, not two)',
      { idleTimeoutSec: '九十' },
      [{ field: 'idleTimeoutSec', line: null, kind: 'rule' }],
    ],
    ['an empty idle timeout', { idleTimeoutSec: '' }, [{ field: 'idleTimeoutSec', line: null, kind: 'rule' }]],
    ['a fractional video limit', { videoSec: '60.5' }, [{ field: 'videoSec', line: null, kind: 'rule' }]],
    ['audio above the maximum', { audioSec: String(BOUNDS.audioSec.max + 1) }, [{ field: 'audioSec', line: null, kind: 'rule' }]],
    ['no photos allowed at all', { photos: '0' }, [{ field: 'photos', line: null, kind: 'rule' }]],
    [
      'a place too long, on its own line number',
      { quickPickPlaces: `村委会\n\n${'长'.repeat(BOUNDS.placeChars + 1)}` },
      [{ field: 'quickPickPlaces', line: 3, kind: 'rule' }],
    ],
    [
      'too many places',
      { quickPickPlaces: Array.from({ length: BOUNDS.places + 1 }, (_, i) => `地点${i}`).join('\n') },
      [{ field: 'quickPickPlaces', line: null, kind: 'count' }],
    ],
    [
      'a receipt text too long',
      { receiptText: '字'.repeat(BOUNDS.receiptChars + 1) },
      [{ field: 'receiptText', line: null, kind: 'rule' }],
    ],
    ['a window that is not start-end', { uploadWindows: '22:00-06:00\n晚上' }, [{ field: 'uploadWindows', line: 2, kind: 'rule' }]],
    ['a window at 25 o’clock', { uploadWindows: '25:00-06:00' }, [{ field: 'uploadWindows', line: 1, kind: 'rule' }]],
    [
      'too many windows',
      { uploadWindows: Array.from({ length: BOUNDS.windows + 1 }, (_, i) => `0${i}:00-0${i}:30`).join('\n') },
      [{ field: 'uploadWindows', line: null, kind: 'count' }],
    ],
    ['a prompt line without "="', { prompts: 'start.title = 好\nhello' }, [{ field: 'prompts', line: 2, kind: 'rule' }]],
    ['a prompt key in capitals', { prompts: 'Start.Title = 好' }, [{ field: 'prompts', line: 1, kind: 'rule' }]],
    ['a prompt key twice', { prompts: 'start.title = 好\nstart.title = 坏' }, [{ field: 'prompts', line: 2, kind: 'duplicate' }]],
    [
      'a prompt text too long',
      { prompts: `start.title = ${'字'.repeat(BOUNDS.promptChars + 1)}` },
      [{ field: 'prompts', line: 1, kind: 'rule' }],
    ],
    ['an idle warning shorter than 20 s (WCAG 2.2.1)', { idleWarningSec: '10' }, [{ field: 'idleWarningSec', line: null, kind: 'rule' }]],
    [
      'an idle warning that leaves under 10 quiet seconds before it',
      { idleTimeoutSec: '40', idleWarningSec: '31' },
      [{ field: 'idleWarningSec', line: null, kind: 'rule' }],
    ],
    ['quiet hours without an end', { quietEnd: '' }, [{ field: 'quietHours', line: null, kind: 'rule' }]],
    [
      'several fields at once, in the order of the page',
      { prompts: 'x', idleTimeoutSec: '5', photos: '99' },
      [
        { field: 'idleTimeoutSec', line: null, kind: 'rule' },
        { field: 'photos', line: null, kind: 'rule' },
        { field: 'prompts', line: 1, kind: 'rule' },
      ],
    ],
  ])('refuses %s', (_name, patch, errors) => {
    expect(fromForm({ ...base(), ...patch })).toEqual({ ok: false, errors });
  });

  it('reads its bounds from the intake schema', () => {
    expect(BOUNDS.idleTimeoutSec).toEqual({ min: 30, max: 600 });
    expect(BOUNDS.idleWarningSec).toEqual({ min: 20, max: 60 });
    expect(BOUNDS).toMatchObject({ places: 30, placeChars: 40, receiptChars: 500, windows: 6, promptChars: 500 });
  });
});
