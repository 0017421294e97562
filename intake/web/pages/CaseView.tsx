import { useCallback, useEffect, useState } from 'react';
import { staff, type Answer, type Body } from '../api.ts';
import { Satisfaction } from '../../../contract/staff/cases.ts';
import type { IdentityView } from '../../../contract/identity.ts';
import { categoryLabel, errorText, statusLabel, useApp } from '../context.tsx';
import { describeDetail } from '../describe.ts';
import { codeText } from '../i18n.ts';
import { Repeats } from './Repeats.tsx';
import { Attachments } from './Attachments.tsx';
import { Zoom } from '../Zoom.tsx';
import { fmtTime } from '../format.ts';
import { ClockBar } from '../clock.tsx';
import { CaseProcess } from './CaseProcess.tsx';
import { formFields } from '../form.ts';

type CaseData = Answer<'cases', 'get'>;
type Item = CaseData['items'][number];

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
  const [revealed, setRevealed] = useState<IdentityView | null>(null);
  const load = useCallback(async () => setData(await staff.cases.get({ params: { id } })), [id]);
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
  const event = (ev: Body<'cases', 'event'>['event']) =>
    run(() => staff.cases.event({ params: { id: c.id }, body: { version: c.version, event: ev } }));

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
                    const v = formFields(e);
                    void run(async () =>
                      setRevealed({
                        ...c.identity,
                        phone: (await staff.cases.revealContact({ params: { id: c.id }, body: { reason: v.get('reason') } })).phone,
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
                    const v = formFields(e);
                    void run(async () =>
                      setRevealed((await staff.cases.reveal({ params: { id: c.id }, body: { reason: v.get('reason') } })).identity),
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
              const v = formFields(e);
              void run(() =>
                staff.cases.edit({
                  params: { id: c.id },
                  body: {
                    version: c.version,
                    summary: v.get('summary'),
                    category: v.get('category') || null,
                    location: v.get('location') || null,
                    territory: v.get('territory') || null,
                  },
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
                  const v = formFields(e);
                  void event({ type: 'assign', unitId: v.get('unitId') });
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
              <button
                type="button"
                onClick={() => void run(() => staff.process.acknowledge({ params: { id: c.id }, body: { version: c.version } }))}
              >
                {t('acknowledge')}
              </button>
            )}
            {mayWork && ['assigned', 'in_progress', 'escalated'].includes(c.status) && (
              <form
                onSubmit={(e) => {
                  const v = formFields(e);
                  void event({ type: 'answer', result: v.get('result') });
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
                  const v = formFields(e);
                  void event({ type: 'reopen', reason: v.get('reason') });
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
                  const v = formFields(e);
                  void event({ type: 'escalate', agency: v.get('agency') });
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
                    const v = formFields(e);
                    void event({ type: 'mark_duplicate', duplicateOf: v.get('duplicateOf') });
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
                    const v = formFields(e);
                    void event({ type: 'mark_invalid', reason: v.get('reason') });
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
                const v = formFields(e);
                void run(() =>
                  staff.cases.callback({
                    params: { id: c.id },
                    body: {
                      version: c.version,
                      contacted: v.get('contacted') === 'on',
                      solved: v.get('solved') === 'on',
                      satisfaction: Satisfaction.nullable().parse(v.get('satisfaction') || null),
                      note: v.get('note'),
                    },
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
                const v = formFields(e);
                e.currentTarget.reset();
                void run(() => staff.cases.note({ params: { id: c.id }, body: { text: v.get('text') } }));
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
