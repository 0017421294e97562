// The last seconds before an idle reset: visible and spoken (the warning sentence, then the
// seconds as they count down, renderer/flow/spoken.ts), one big 继续 button.
import { useEffect, useRef, useState } from 'react';
import type { Clock } from '../store.ts';
import { useFlow } from '../context.tsx';
import { idleSecondsLeft } from '../machine.ts';
import { countdownPrompt } from '../spoken.ts';

/** How often the number is looked at: a quarter second keeps the shown and spoken number on time. */
const REFRESH_MS = 250;

export function IdleWarning({ idleMs, warnMs, clock }: { idleMs: number; warnMs: number; clock: Clock }) {
  const { t, state, dispatch, speaker } = useFlow();
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let h: unknown;
    const loop = () => {
      setNow(clock.now());
      h = clock.setTimeout(loop, REFRESH_MS);
    };
    h = clock.setTimeout(loop, REFRESH_MS);
    return () => clock.clearTimeout(h);
  }, [clock]);
  const left = idleSecondsLeft(state, now, { idleMs, warnMs, maxItems: 0, maxPhotos: 0 }) ?? 0;
  const before = useRef<number | null>(null);
  useEffect(() => {
    const id = countdownPrompt(before.current, left, speaker.speaking);
    before.current = left;
    if (id) speaker.say(id);
  }, [left, speaker]);
  return (
    <div className="overlay">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-line">
        <h2 id="idle-title">{t.idleTitle}</h2>
        <p id="idle-line" className="lead">
          {t.idleLine(left)}
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
