import { useCallback, useEffect, useState } from 'react';
import { api, get, post } from '../api.ts';
import { categoryLabel, errorText, statusLabel, useApp } from '../context.tsx';
import { describeDetail } from '../describe.ts';
import { codeText } from '../i18n.ts';
import { Repeats } from './Repeats.tsx';
import { Attachments } from './Attachments.tsx';
import { Zoom } from '../Zoom.tsx';
import { fmtTime } from '../format.ts';
import { ClockBar } from '../clock.tsx';
import { CaseProcess } from './CaseProcess.tsx';
import type { CaseClockView } from '../../../contract/staff/process.ts';

interface Item {
  idx: number;
  kind: string;
  mime: string;
  durationSec: number | null;
  playbackState: string;
  originalUrl: string;
  playbackUrl: string | null;
  posterUrl: string | null;
}
interface CaseData {
  case: {
    id: string;
    caseNumber: string;
    boothCode: string;
    receivedAt: string;
    status: string;
    version: number;
    category: string | null;
    location: string | null;
    summary: string;
    unitId: string | null;
    unitName: string | null;
    territory: string | null;
    dispatchedAt: string | null;
    result: string | null;
    escalatedTo: string | null;
    duplicateOf: string | null;
    duplicateOfId: string | null;
    realName: boolean;
    identity: Record<string, string>;
  };
  items: Item[];
  dispatchDeadline: null | { dueDate: string; dueAt: string; overdue: boolean };
  clock: CaseClockView | null;
  deadline: null | {
    reminderDate: string;
    dueDate: string;
    state: string;
    workday: number;
    of: number;
    warnings: { year: number; status: string }[];
    reminderSentAt: string | null;
  };
  history: { id: number; at: string; action: string; detail: Record<string, unknown>; user_name: string | null }[];
  callbacks: { id: number; at: string; contacted: number; solved: number; satisfaction: string | null; note: string }[];
}

function Media({ item }: { item: Item }) {
  const { t } = useApp();
  const [zoom, setZoom] = useState(false);
  if (item.playbackState === 'pending') return <p className="pending">{t('preparing')}</p>;
  if (!item.playbackUrl)
    return (
      <p className="failed">
        {t('cannotPlay')} <a href={item.originalUrl}>{t('original')}</a>
      </p>
    );
  if (item.kind === 'video')
    return (
      <video
        controls
        preload="metadata"
        src={item.playbackUrl}
        poster={item.posterUrl ?? undefined}
        aria-label={`${t('mediaVideo')} ${item.idx + 1}`}
      />
    );
  if (item.kind === 'audio')
    return <audio controls preload="metadata" src={item.playbackUrl} aria-label={`${t('mediaAudio')} ${item.idx + 1}`} />;
  return (
    <>
      <img className="thumb" src={item.playbackUrl} alt={`${t('mediaPhoto')} ${item.idx + 1}`} onClick={() => setZoom(true)} />
      {zoom && <Zoom src={item.playbackUrl} onClose={() => setZoom(false)} />}
    </>
  );
}

export function CaseView({ params }: { params: string[] }) {
  const { t, meta, lang, can, me } = useApp();
  const id = params[0] ?? '';
  const [data, setData] = useState<CaseData | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<Record<string, string> | null>(null);
  const load = useCallback(async () => setData(await get<CaseData>(`/staff/api/cases/${id}`)), [id]);
  useEffect(() => void load(), [load]);
  if (!data) return <p>{t('loading')}</p>;
  const c = data.case;
  const mayWork = can('case:assign') || (can('case:work') && !!c.unitId && me.user.unitIds.includes(c.unitId));

  const run = async (fn: () => Promise<unknown>) => {
    setMsg(null);
    try {
      await fn();
      await load();
      setMsg(t('saved'));
    } catch (e) {
      setMsg(errorText(lang, e));
    }
  };
  const event = (ev: Record<string, unknown>) => run(() => post(`/staff/api/cases/${c.id}/events`, { version: c.version, event: ev }));
  const form = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    return Object.fromEntries(new FormData(e.currentTarget).entries()) as Record<string, string>;
  };

  return (
    <article className="case">
      <h1>
        {c.caseNumber} <span className={`status s-${c.status}`}>{statusLabel(meta, lang, c.status)}</span>
      </h1>
      <p className="sub">
        {t('receivedAt')} {fmtTime(c.receivedAt)} · {t('booth')} {c.boothCode}
        {c.dispatchedAt && (
          <>
            {' '}
            · {t('dispatchedAt')} {fmtTime(c.dispatchedAt)}
          </>
        )}
      </p>
      {msg && (
        <p className="msg" role="status">
          {msg}
        </p>
      )}
      <ClockBar clock={data.clock} />
      {data.deadline && (
        // The answer clock's detail under the one clock above: which working day, the reminder, calendar warnings.
        <div className="deadline-detail">
          {t('workday', { n: data.deadline.workday, of: data.deadline.of })}
          {' · '}
          {t('reminderOn', { d: data.deadline.reminderDate })}
          {data.deadline.warnings.map((w) => (
            <p key={w.year} className="warn">
              {t('calendarWarning', { y: w.year })}
            </p>
          ))}
        </div>
      )}
      <div className="cols">
        <div>
          <h2>{t('media')}</h2>
          <div className="media">
            {data.items.map((it) => (
              <Media key={it.idx} item={it} />
            ))}
          </div>
          <h2>{t('identity')}</h2>
          {!c.realName && Object.keys(c.identity).length === 0 ? (
            <p>{t('anonymousCase')}</p>
          ) : (
            <div className="identity">
              <dl>
                {(['name', 'idNumber', 'address', 'phone'] as const)
                  .filter((k) => (revealed ?? c.identity)[k])
                  .map((k) => (
                    <div key={k}>
                      <dt>{t(k)}</dt>
                      <dd>
                        {(revealed ?? c.identity)[k]}
                        {!revealed && <small> ({t('masked')})</small>}
                      </dd>
                    </div>
                  ))}
              </dl>
              {can('contact:reveal') && mayWork && !can('identity:reveal') && !revealed && c.identity.phone && (
                <form
                  onSubmit={(e) => {
                    const v = form(e);
                    void run(async () =>
                      setRevealed({
                        ...c.identity,
                        phone: (await post<{ phone: string }>(`/staff/api/cases/${c.id}/reveal-contact`, { reason: v.reason })).phone,
                      }),
                    );
                  }}
                >
                  <label>
                    {t('revealPhoneReason')}
                    <input name="reason" required minLength={4} />
                  </label>
                  <button type="submit">{t('revealPhoneDo')}</button>
                </form>
              )}
              {can('identity:reveal') && !revealed && (
                <form
                  onSubmit={(e) => {
                    const v = form(e);
                    void run(async () =>
                      setRevealed(
                        (await post<{ identity: Record<string, string> }>(`/staff/api/cases/${c.id}/reveal`, { reason: v.reason }))
                          .identity,
                      ),
                    );
                  }}
                >
                  <label>
                    {t('revealReason')}
                    <input name="reason" required minLength={4} />
                  </label>
                  <button type="submit">{t('revealDo')}</button>
                </form>
              )}
            </div>
          )}
        </div>
        <div>
          <h2>{t('categorise')}</h2>
          <form
            key={`edit-${c.version}`}
            className="edit"
            onSubmit={(e) => {
              const v = form(e);
              void run(() =>
                api('PATCH', `/staff/api/cases/${c.id}`, {
                  version: c.version,
                  summary: v.summary,
                  category: v.category || null,
                  location: v.location || null,
                  territory: v.territory || null,
                }),
              );
            }}
          >
            <label>
              {t('summary')}
              <textarea name="summary" defaultValue={c.summary} rows={4} disabled={!mayWork} />
            </label>
            <label>
              {t('category')}
              <select name="category" defaultValue={c.category ?? ''} disabled={!mayWork}>
                <option value="">—</option>
                {meta?.categories.map((x) => (
                  <option key={x.code} value={x.code}>
                    {categoryLabel(meta, lang, x.code)}
                  </option>
                ))}
                {c.category && !meta?.categories.some((x) => x.code === c.category) && <option value={c.category}>{c.category}</option>}
              </select>
            </label>
            <label>
              {t('location')}
              <input name="location" defaultValue={c.location ?? ''} disabled={!mayWork} />
            </label>
            <label>
              {t('territory')}
              <input name="territory" list="territories" defaultValue={c.territory ?? ''} disabled={!mayWork} />
            </label>
            <datalist id="territories">
              {meta?.territories.map((x) => (
                <option key={x} value={x} />
              ))}
            </datalist>
            {mayWork && <button type="submit">{t('save')}</button>}
          </form>
          <h2>{t('workflow')}</h2>
          <p>
            {t('unit')}: {c.unitName ?? '—'}
            {c.escalatedTo && (
              <>
                {' '}
                · {t('agency')}: {c.escalatedTo}
              </>
            )}
            {c.duplicateOf && (
              <>
                {' '}
                · {t('duplicateOf')}:{' '}
                {c.duplicateOfId ? (
                  <a className="duplicate-of" href={`#/case/${c.duplicateOfId}`}>
                    {c.duplicateOf}
                  </a>
                ) : (
                  c.duplicateOf
                )}
              </>
            )}
          </p>
          {c.result && (
            <p>
              {t('result')}: {c.result}
            </p>
          )}
          <div className="actions">
            {can('case:assign') && ['new', 'assigned', 'in_progress', 'escalated'].includes(c.status) && (
              <form
                onSubmit={(e) => {
                  const v = form(e);
                  void event({ type: 'assign', unitId: v.unitId });
                }}
              >
                <label>
                  {t('assignTo')}
                  <select name="unitId" defaultValue={c.unitId ?? ''} required>
                    <option value="">—</option>
                    {meta?.units
                      .filter((u) => u.active)
                      .map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                  </select>
                </label>
                <button type="submit" disabled={!c.summary.trim()}>
                  {t('assign')}
                </button>
                {!c.summary.trim() && <small className="warn">{t('err_summary_required')}</small>}
              </form>
            )}
            {mayWork && c.status === 'assigned' && (
              <button type="button" onClick={() => void run(() => post(`/staff/api/cases/${c.id}/acknowledge`, { version: c.version }))}>
                {t('acknowledge')}
              </button>
            )}
            {mayWork && ['assigned', 'in_progress', 'escalated'].includes(c.status) && (
              <form
                onSubmit={(e) => {
                  const v = form(e);
                  void event({ type: 'answer', result: v.result });
                }}
              >
                <label>
                  {t('answerText')}
                  <input name="result" required />
                </label>
                <button type="submit">{t('answer')}</button>
              </form>
            )}
            {mayWork && c.status === 'called_back' && (
              <button type="button" onClick={() => void event({ type: 'close' })}>
                {t('close')}
              </button>
            )}
            {mayWork && ['answered', 'called_back', 'closed'].includes(c.status) && (
              <form
                onSubmit={(e) => {
                  const v = form(e);
                  void event({ type: 'reopen', reason: v.reason });
                }}
              >
                <label>
                  {t('reason')}
                  <input name="reason" required />
                </label>
                <button type="submit">{t('reopen')}</button>
              </form>
            )}
            {can('case:assign') && ['new', 'assigned', 'in_progress'].includes(c.status) && (
              <form
                onSubmit={(e) => {
                  const v = form(e);
                  void event({ type: 'escalate', agency: v.agency });
                }}
              >
                <label>
                  {t('agency')}
                  <input name="agency" required />
                </label>
                <button type="submit">{t('escalate')}</button>
              </form>
            )}
            {can('case:assign') && ['new', 'assigned', 'in_progress', 'escalated'].includes(c.status) && (
              <>
                <form
                  onSubmit={(e) => {
                    const v = form(e);
                    void event({ type: 'mark_duplicate', duplicateOf: v.duplicateOf });
                  }}
                >
                  <label>
                    {t('duplicateOf')}
                    <input name="duplicateOf" required />
                  </label>
                  <button type="submit">{t('markDuplicate')}</button>
                </form>
                <form
                  onSubmit={(e) => {
                    const v = form(e);
                    void event({ type: 'mark_invalid', reason: v.reason });
                  }}
                >
                  <label>
                    {t('reason')}
                    <input name="reason" required />
                  </label>
                  <button type="submit">{t('markInvalid')}</button>
                </form>
              </>
            )}
            {can('case:assign') && ['invalid', 'duplicate'].includes(c.status) && (
              <button type="button" onClick={() => void event({ type: 'restore' })}>
                {t('restore')}
              </button>
            )}
          </div>
          <CaseProcess c={c} mayWork={mayWork} run={run} />
          {mayWork && ['answered', 'called_back'].includes(c.status) && (
            <form
              className="callback"
              onSubmit={(e) => {
                const v = form(e);
                void run(() =>
                  post(`/staff/api/cases/${c.id}/callback`, {
                    version: c.version,
                    contacted: v.contacted === 'on',
                    solved: v.solved === 'on',
                    satisfaction: v.satisfaction || null,
                    note: v.note ?? '',
                  }),
                );
              }}
            >
              <h2>{t('callback')}</h2>
              <label className="check">
                <input type="checkbox" name="contacted" />
                {t('contacted')}
              </label>
              <label className="check">
                <input type="checkbox" name="solved" />
                {t('solved')}
              </label>
              <fieldset>
                <legend>{t('satisfaction')}</legend>
                {(['satisfied', 'basically', 'unsatisfied'] as const).map((s) => (
                  <label key={s} className="check">
                    <input type="radio" name="satisfaction" value={s} />
                    {t(s)}
                  </label>
                ))}
                <label className="check">
                  <input type="radio" name="satisfaction" value="" defaultChecked />
                  {t('noAnswer')}
                </label>
              </fieldset>
              <label>
                {t('callbackNote')}
                <textarea name="note" rows={2} />
              </label>
              <button type="submit">{t('record')}</button>
            </form>
          )}
          {data.callbacks.length > 0 && (
            <ul className="callbacks">
              {data.callbacks.map((cb) => (
                <li key={cb.id}>
                  {fmtTime(cb.at)} · {cb.contacted ? t('contacted') : '✗'} · {cb.solved ? t('solved') : '✗'} ·{' '}
                  {cb.satisfaction ? t(cb.satisfaction as 'satisfied') : t('noAnswer')}
                  {cb.note && ` · ${cb.note}`}
                </li>
              ))}
            </ul>
          )}
          {mayWork && (
            <form
              onSubmit={(e) => {
                const v = form(e);
                e.currentTarget.reset();
                void run(() => post(`/staff/api/cases/${c.id}/notes`, { text: v.text }));
              }}
            >
              <label>
                {t('addNote')}
                <input name="text" required />
              </label>
              <button type="submit">{t('addNote')}</button>
            </form>
          )}
          <Attachments caseId={c.id} onChange={() => void load()} />
          <Repeats key={`rep-${c.version}`} caseId={c.id} onChange={() => void load()} />
          <h2>{t('history')}</h2>
          <ol className="history">
            {data.history.map((h) => (
              <li key={h.id}>
                <time>{fmtTime(h.at)}</time> <b>{h.user_name ?? t('system')}</b> {codeText(lang, 'history_', h.action, 'history_other')}{' '}
                <span className="detail">{describeDetail(lang, meta, h.detail)}</span>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </article>
  );
}
