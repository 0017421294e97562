// Booth settings (admin): what the back office decides for every booth — idle timeout, recording
// limits, quick-pick places, receipt text, upload windows, spoken/shown prompt texts, quiet hours,
// nightly restart and updates, and how long a booth keeps its sealed recordings after delivery. Reads and saves the booth
// settings (staff.fleet.boothSettings / changeBoothSettings); the form is checked with
// the intake's own schema first (boothSettingsForm.ts), each error shown next to its field. Booths
// pull the new revision with their next heartbeat (docs/TECHNICIANS.md).
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { staff } from '../api.ts';
import { errorText, useApp } from '../context.tsx';
import { BOUNDS, fromForm, toForm, WARNING_LEAD_SEC, type Field, type FieldError, type SettingsForm } from '../boothSettingsForm.ts';

const B = BOUNDS;
const S = {
  zh: {
    title: '设备设置',
    sub: '对所有设备生效。设备在下一次心跳时（几分钟内）取到新设置，不用重启。',
    revision: (n: number) => `当前版本：第 ${n} 版`,
    session: '使用时间',
    idleTimeoutSec: '无人操作自动返回首页（秒）',
    idleWarningSec: '返回首页前提醒“您还在吗？”（秒）',
    limits: '录制上限',
    videoSec: '录像最长（秒）',
    audioSec: '录音最长（秒）',
    photos: '照片最多（张）',
    places: '常用地点',
    quickPickPlaces: '居民可直接点选的地点（每行一个）',
    receipt: '回执',
    receiptText: '回执上工单编号下面的文字',
    upload: '上传时段',
    uploadWindows: '只在这些时段上传（每行一个，如 22:00-06:00；不填表示随时上传）',
    prompts: '提示语',
    promptsField: '替换屏幕上和语音里的提示文字（每行一条：键 = 文字，英文加 .en，如 start.title = 有事您说话）',
    maintenance: '维护',
    quietHours: '安静时段（自动更新和夜间重启只在此时进行）',
    quietStart: '开始',
    quietEnd: '结束',
    updatesEnabled: '自动安装软件更新',
    nightlyRestart: '每晚在安静时段重启一次',
    privacy: '录像留存',
    mediaRetentionDays: '送到后台并核对无误后，设备上加密保存的录像、录音和照片再保留几天（0 表示马上删除）',
    save: '保存设置',
    saved: (n: number) => `已保存为第 ${n} 版。设备会在下一次心跳时取到。`,
    invalid: (n: number) => `有 ${n} 处需要修改，见各项下方的红字。`,
    line: (n: number) => `第 ${n} 行：`,
    rules: {
      idleTimeoutSec: `请填 ${B.idleTimeoutSec.min} 到 ${B.idleTimeoutSec.max} 之间的整数`,
      idleWarningSec: `请填 ${B.idleWarningSec.min} 到 ${B.idleWarningSec.max} 之间的整数，并且至少比自动返回时间短 ${WARNING_LEAD_SEC} 秒`,
      videoSec: `请填 ${B.videoSec.min} 到 ${B.videoSec.max} 之间的整数`,
      audioSec: `请填 ${B.audioSec.min} 到 ${B.audioSec.max} 之间的整数`,
      photos: `请填 ${B.photos.min} 到 ${B.photos.max} 之间的整数`,
      quickPickPlaces: `每个地点 1 到 ${B.placeChars} 个字`,
      receiptText: `最多 ${B.receiptChars} 个字`,
      uploadWindows: '请写成 开始-结束，例如 22:00-06:00（时间为 00:00 到 23:59）',
      prompts: `请写成 键 = 文字；键以小写英文字母开头，只含字母、数字、下划线和点；文字最多 ${B.promptChars} 个字`,
      quietHours: '请填写开始和结束时间',
      mediaRetentionDays: `请填 ${B.mediaRetentionDays.min} 到 ${B.mediaRetentionDays.max} 之间的整数`,
    } satisfies Record<Field, string>,
    count: { quickPickPlaces: `最多 ${B.places} 个地点`, uploadWindows: `最多 ${B.windows} 个时段` } as Partial<Record<Field, string>>,
    duplicate: '这个键上面已经有了',
  },
  en: {
    title: 'Booth settings',
    sub: 'For every booth. Booths fetch a new revision with their next heartbeat (within minutes), without a restart.',
    revision: (n: number) => `Current revision: ${n}`,
    session: 'Sessions',
    idleTimeoutSec: 'Back to the start screen after no touch for (seconds)',
    idleWarningSec: 'Ask “Are you still there?” this long before (seconds)',
    limits: 'Recording limits',
    videoSec: 'Longest video (seconds)',
    audioSec: 'Longest audio (seconds)',
    photos: 'Most photos',
    places: 'Quick-pick places',
    quickPickPlaces: 'Places a resident can tap (one per line)',
    receipt: 'Receipt',
    receiptText: 'Text under the case number on the receipt',
    upload: 'Upload windows',
    uploadWindows: 'Upload only in these windows (one per line, e.g. 22:00-06:00; empty = any time)',
    prompts: 'Prompts',
    promptsField: 'Replace texts shown and spoken at the booth (one per line: key = text, .en for English, e.g. start.title = Tell us)',
    maintenance: 'Maintenance',
    quietHours: 'Quiet hours (updates and the nightly restart happen only then)',
    quietStart: 'From',
    quietEnd: 'To',
    updatesEnabled: 'Install software updates automatically',
    nightlyRestart: 'Restart once a night in quiet hours',
    privacy: 'Recordings on the booth',
    mediaRetentionDays: 'Days a booth keeps its encrypted recordings after the back office confirmed them (0 = delete at once)',
    save: 'Save settings',
    saved: (n: number) => `Saved as revision ${n}. Booths fetch it with their next heartbeat.`,
    invalid: (n: number) => `${n} thing(s) to correct: see the red text under the fields.`,
    line: (n: number) => `Line ${n}: `,
    rules: {
      idleTimeoutSec: `A whole number from ${B.idleTimeoutSec.min} to ${B.idleTimeoutSec.max}`,
      idleWarningSec: `A whole number from ${B.idleWarningSec.min} to ${B.idleWarningSec.max}, at least ${WARNING_LEAD_SEC} less than the time above`,
      videoSec: `A whole number from ${B.videoSec.min} to ${B.videoSec.max}`,
      audioSec: `A whole number from ${B.audioSec.min} to ${B.audioSec.max}`,
      photos: `A whole number from ${B.photos.min} to ${B.photos.max}`,
      quickPickPlaces: `Each place 1 to ${B.placeChars} characters`,
      receiptText: `At most ${B.receiptChars} characters`,
      uploadWindows: 'Write start-end, e.g. 22:00-06:00 (times 00:00 to 23:59)',
      prompts: `Write key = text; the key starts with a lower-case letter and has only letters, digits, _ and dots; the text at most ${B.promptChars} characters`,
      quietHours: 'Give a start and an end time',
      mediaRetentionDays: `A whole number from ${B.mediaRetentionDays.min} to ${B.mediaRetentionDays.max}`,
    } satisfies Record<Field, string>,
    count: { quickPickPlaces: `At most ${B.places} places`, uploadWindows: `At most ${B.windows} windows` } as Partial<
      Record<Field, string>
    >,
    duplicate: 'This key is already given above',
  },
};
type Strings = (typeof S)['zh'];

function message(s: Strings, e: FieldError): string {
  const text = e.kind === 'duplicate' ? s.duplicate : e.kind === 'count' ? (s.count[e.field] ?? s.rules[e.field]) : s.rules[e.field];
  return e.line ? `${s.line(e.line)}${text}` : text;
}

export function BoothSettingsPage() {
  const { lang } = useApp();
  const s = S[lang];
  const [revision, setRevision] = useState<number | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    staff.fleet.boothSettings().then(
      (x) => {
        setRevision(x.revision);
        setForm(toForm(x));
      },
      (e: unknown) => setNote({ ok: false, text: errorText(lang, e) }),
    );
  }, []);

  if (!form)
    return (
      <section className="booth-settings">
        {note && (
          <p className="error" role="alert">
            {note.text}
          </p>
        )}
      </section>
    );

  const set = <K extends keyof SettingsForm>(k: K, v: SettingsForm[K]) => setForm({ ...form, [k]: v });
  const errorsOf = (f: Field) => errors.filter((e) => e.field === f);

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!form) return;
    const r = fromForm(form);
    if (!r.ok) {
      setErrors(r.errors);
      setNote({ ok: false, text: s.invalid(r.errors.length) });
      return;
    }
    setErrors([]);
    try {
      const saved = await staff.fleet.changeBoothSettings({ body: r.value });
      setRevision(saved.revision);
      setForm(toForm(saved));
      setNote({ ok: true, text: s.saved(saved.revision) });
    } catch (err) {
      setNote({ ok: false, text: errorText(lang, err) });
    }
  }

  /** A labelled input with its errors right under it (and tied to it for screen readers). */
  const field = (
    f: Field,
    label: string,
    control: (a: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode,
    group = false,
  ) => {
    const errs = errorsOf(f);
    const id = `bs-${f}`;
    return (
      <div className={`bs-field${errs.length ? ' invalid' : ''}`}>
        {group ? (
          <span className="bs-label" id={`${id}-label`}>
            {label}
          </span>
        ) : (
          <label htmlFor={id}>{label}</label>
        )}
        {control({ id, 'aria-invalid': errs.length > 0, ...(errs.length ? { 'aria-describedby': `${id}-err` } : {}) })}
        {errs.length > 0 && (
          <p className="field-error" id={`${id}-err`} data-testid={`error-${f}`}>
            {errs.map((x) => message(s, x)).join('；')}
          </p>
        )}
      </div>
    );
  };
  const num = (f: 'idleTimeoutSec' | 'idleWarningSec' | 'videoSec' | 'audioSec' | 'photos' | 'mediaRetentionDays', label: string) =>
    field(f, label, (a) => <input {...a} inputMode="numeric" size={6} value={form[f]} onChange={(e) => set(f, e.target.value)} />);

  return (
    <section className="booth-settings">
      <h1>{s.title}</h1>
      <p className="sub">
        {s.sub} {revision !== null && <span data-testid="settings-revision">{s.revision(revision)}</span>}
      </p>
      {/* noValidate: the page's own checks (the intake's schema) speak, in the page's language. */}
      <form onSubmit={(e) => void save(e)} noValidate aria-label={s.title}>
        <fieldset>
          <legend>{s.session}</legend>
          {num('idleTimeoutSec', s.idleTimeoutSec)}
          {num('idleWarningSec', s.idleWarningSec)}
        </fieldset>
        <fieldset className="bs-row">
          <legend>{s.limits}</legend>
          {num('videoSec', s.videoSec)}
          {num('audioSec', s.audioSec)}
          {num('photos', s.photos)}
        </fieldset>
        <fieldset>
          <legend>{s.places}</legend>
          {field('quickPickPlaces', s.quickPickPlaces, (a) => (
            <textarea {...a} rows={6} value={form.quickPickPlaces} onChange={(e) => set('quickPickPlaces', e.target.value)} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{s.receipt}</legend>
          {field('receiptText', s.receiptText, (a) => (
            <textarea {...a} rows={2} value={form.receiptText} onChange={(e) => set('receiptText', e.target.value)} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{s.upload}</legend>
          {field('uploadWindows', s.uploadWindows, (a) => (
            <textarea {...a} rows={3} value={form.uploadWindows} onChange={(e) => set('uploadWindows', e.target.value)} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{s.prompts}</legend>
          {field('prompts', s.promptsField, (a) => (
            <textarea {...a} rows={4} className="mono" value={form.prompts} onChange={(e) => set('prompts', e.target.value)} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{s.maintenance}</legend>
          {field(
            'quietHours',
            s.quietHours,
            (a) => (
              <span className="bs-row" id={a.id} role="group" aria-labelledby={`${a.id}-label`} aria-describedby={a['aria-describedby']}>
                <label>
                  {s.quietStart}{' '}
                  <input
                    type="time"
                    value={form.quietStart}
                    aria-invalid={a['aria-invalid']}
                    onChange={(e) => set('quietStart', e.target.value)}
                  />
                </label>
                <label>
                  {s.quietEnd}{' '}
                  <input
                    type="time"
                    value={form.quietEnd}
                    aria-invalid={a['aria-invalid']}
                    onChange={(e) => set('quietEnd', e.target.value)}
                  />
                </label>
              </span>
            ),
            true,
          )}
          <label className="check">
            <input type="checkbox" checked={form.updatesEnabled} onChange={(e) => set('updatesEnabled', e.target.checked)} />{' '}
            {s.updatesEnabled}
          </label>
          <label className="check">
            <input type="checkbox" checked={form.nightlyRestart} onChange={(e) => set('nightlyRestart', e.target.checked)} />{' '}
            {s.nightlyRestart}
          </label>
        </fieldset>
        <fieldset>
          <legend>{s.privacy}</legend>
          {num('mediaRetentionDays', s.mediaRetentionDays)}
        </fieldset>
        {note && (
          <p className={note.ok ? 'msg' : 'error'} role={note.ok ? 'status' : 'alert'}>
            {note.text}
          </p>
        )}
        <button type="submit">{s.save}</button>
      </form>
    </section>
  );
}
