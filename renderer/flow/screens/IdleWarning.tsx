// The last seconds before an idle reset: visible, spoken once, one big 继续 button.
import { useEffect, useState } from 'react';
import { useFlow } from '../context.tsx';
import { idleSecondsLeft } from '../machine.ts';

export function IdleWarning({ idleMs, warnMs }: { idleMs: number; warnMs: number }) {
  const { t, state, dispatch } = useFlow();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const h = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(h);
  }, []);
  const left = idleSecondsLeft(state, now, { idleMs, warnMs, maxItems: 0, maxPhotos: 0 }) ?? 0;
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
