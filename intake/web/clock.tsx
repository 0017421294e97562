// The case clock, shown one way everywhere (issue 15): the stage the case is in (待派单 / 待签收 /
// 办理时限 / 已结束), where it stands (时限内 / 即将到期 / 已超期 / 按时答复 / 超时答复) and the
// deadline, a midnight instant read as the day before's "24:00" (intake/casework/process.ts caseClock).
import type { CaseClockView } from '../../contract/staff/process.ts';
import { useApp } from './context.tsx';
import { fmtDue, fmtTime } from './format.ts';

/** A deadline instant: local midnight reads "YYYY-MM-DD 24:00" of the day before; any other time as it is. */
export function fmtDeadline(iso: string | null | undefined): string {
  if (!iso) return '—';
  return fmtTime(iso).endsWith(' 00:00') ? fmtDue(iso) : fmtTime(iso);
}

/** Compact, for tables: "待签收 · 已超期 · 2026-11-09 09:30". */
export function ClockBadge({ clock }: { clock: CaseClockView | null | undefined }) {
  const { t } = useApp();
  if (!clock) return <>—</>;
  return (
    <span className={`clock c-${clock.state}`}>
      {t(`stage_${clock.stage}`)}
      {clock.state !== 'none' && <> · {t(`clock_${clock.state}`)}</>}
      {clock.dueAt && <> · {fmtDeadline(clock.dueAt)}</>}
    </span>
  );
}

/** On the case: the same, with the working days since receipt and the answer's due date while waiting for 签收. */
export function ClockBar({ clock }: { clock: CaseClockView | null | undefined }) {
  const { t } = useApp();
  if (!clock) return null;
  return (
    <div className={`deadline clockbar d-${clock.state}`}>
      <strong>{t(`stage_${clock.stage}`)}</strong>
      {clock.state !== 'none' && <> · {t(`clock_${clock.state}`)}</>}
      {clock.dueAt && <> · {t('clockDue', { d: fmtDeadline(clock.dueAt) })}</>}
      {clock.stage === 'acknowledge' && clock.answerDueAt && <> · {t('answerDue', { d: fmtDeadline(clock.answerDueAt) })}</>}
      {' · '}
      {t('clockWorkdays', { n: clock.workdays })}
    </div>
  );
}
