// Repeats on the case view: "反映 N 次" and the repeats on an original, the original on a repeat,
// and for the clerk the likely repeats (same place and category, or the same callback phone), each
// linked in one click.
import { useCallback, useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { categoryLabel, errorText, statusLabel, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';

type RepeatsData = Answer<'repeats', 'get'>;
type Ref = RepeatsData['repeats'][number];

export function Repeats({ caseId, onChange }: { caseId: string; onChange: () => void }) {
  const { t, lang, meta, can } = useApp();
  const [data, setData] = useState<RepeatsData | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const load = useCallback(async () => setData(await staff.repeats.get({ params: { id: caseId } })), [caseId]);
  useEffect(() => void load(), [load]);
  if (!data) return null;
  const run = (fn: () => Promise<unknown>) =>
    void fn().then(
      async () => {
        setMsg(null);
        await load();
        onChange();
      },
      (e: unknown) => setMsg(errorText(lang, e)),
    );
  const link = (r: Ref) => <a href={`#/case/${r.id}`}>{r.caseNumber}</a>;
  return (
    <section className="repeats">
      <h2>
        {t('repeatsTitle')}
        {data.timesRaised > 1 && <span className="times-raised"> · {t('timesRaised', { n: data.timesRaised })}</span>}
      </h2>
      {msg && (
        <p className="error" role="alert">
          {msg}
        </p>
      )}
      {data.original && (
        <p className="repeat-of">
          {t('repeatOf')} {link(data.original)} ({fmtTime(data.original.receivedAt)})
          {can('case:assign') && (
            <button type="button" className="link" onClick={() => run(() => staff.repeats.unlink({ params: { id: caseId } }))}>
              {t('unlinkRepeat')}
            </button>
          )}
        </p>
      )}
      {data.repeats.length > 0 && (
        <ul className="repeat-list">
          {data.repeats.map((r) => (
            <li key={r.id}>
              {link(r)} · {fmtTime(r.receivedAt)} · {statusLabel(meta, lang, r.status)}
            </li>
          ))}
        </ul>
      )}
      {!data.original && data.repeats.length === 0 && <p>{t('noRepeats')}</p>}
      {can('case:assign') && (
        <>
          <h3>{t('suggestionsTitle')}</h3>
          {data.suggestions.length === 0 ? (
            <p>{t('noSuggestions')}</p>
          ) : (
            <ul className="suggestions">
              {data.suggestions.map((s) => (
                <li key={s.id} data-case={s.caseNumber}>
                  {link(s)} · {fmtTime(s.receivedAt)} · {categoryLabel(meta, lang, s.category)} · {s.location ?? '—'} ·{' '}
                  {statusLabel(meta, lang, s.status)}
                  {' · '}
                  <em>{s.reasons.map((r) => t(r === 'place' ? 'reasonPlace' : 'reasonPhone')).join(lang === 'zh' ? '，' : ', ')}</em>
                  {s.summary && <small> {s.summary}</small>}{' '}
                  <button type="button" onClick={() => run(() => staff.repeats.link({ params: { id: caseId }, body: { otherId: s.id } }))}>
                    {t('linkRepeat')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
