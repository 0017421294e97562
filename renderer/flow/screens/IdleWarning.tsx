// The last seconds before an idle reset: visible and spoken (the warning sentence, then the
// seconds as they count down, renderer/flow/spoken.ts), one big 继续 button. The words fit the
// screen: with recordings, that they will not be sent; without, only that the start comes back;
// on the receipt, that the complaint was received (it was: never "not saved" there).
import { useEffect, useRef } from 'react';
import type { Clock } from '../store.ts';
import { useFlow } from '../context.tsx';
import { DEFAULT_FLOW_CONFIG, idleSecondsLeft } from '../machine.ts';
import { useNow } from './useNow.ts';
import { countdownPrompt } from '../spoken.ts';

/** How often the number is looked at: a quarter second keeps the shown and spoken number on time. */
const REFRESH_MS = 250;

export function IdleWarning({ idleMs, warnMs, clock }: { idleMs: number; warnMs: number; clock: Clock }) {
  const { t, state, dispatch, speaker } = useFlow();
  const now = useNow(clock, REFRESH_MS);
  const left = idleSecondsLeft(state, now, { ...DEFAULT_FLOW_CONFIG, idleMs, warnMs }) ?? 0;
  const before = useRef<number | null>(null);
  useEffect(() => {
    const id = countdownPrompt(before.current, left, speaker.speaking);
    before.current = left;
    if (id) speaker.say(id);
  }, [left, speaker]);
  // The receipt: the complaint is saved and on its way; say so, and keep the number and QR in
  // view (this bar takes the place of the receipt's buttons, never covers the number).
  if (state.screen === 'receipt') {
    return (
      <div className="idle-bar" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-line">
        <div>
          <h2 id="idle-title">{t.receiptIdleTitle}</h2>
          <p id="idle-line" className="lead">
            {t.receiptIdleLine(left)}
          </p>
        </div>
        <button type="button" className="btn btn-primary" autoFocus onClick={() => dispatch({ type: 'CONTINUE' })}>
          {t.receiptIdleStay}
        </button>
      </div>
    );
  }
  return (
    <div className="overlay">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-line">
        <h2 id="idle-title">{t.idleTitle}</h2>
        <p id="idle-line" className="lead">
          {state.items.length > 0 ? t.idleLine(left) : t.idleLineNothing(left)}
        </p>
        <p className="idle-count" aria-hidden="true">
          {left}
        </p>
        <button type="button" className="btn btn-primary btn-wide" autoFocus onClick={() => dispatch({ type: 'CONTINUE' })}>
          {t.continue}
        </button>
      </div>
    </div>
  );
}
