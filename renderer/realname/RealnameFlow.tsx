// The real-name hand-over screen (FlowApp's `realname` slot): consent → where to place the card →
// name and masked number to confirm → done. Errors offer 再试一次 and anonymous. Nothing is read
// before 同意; leaving this screen any other way than confirming cancels the read in the core, which
// forgets the identity. The ID data stays in the core: this screen sees a name and a masked number.
import { useEffect, useRef, useState } from 'react';
import type { RealNameState } from '../../contract/kiosk.ts';
import { call } from '../api.ts';
import { useFlow } from '../flow/context.tsx';
import { Frame } from '../flow/screens/Frame.tsx';
import type { RealnameScreenProps } from '../flow/screens/Identity.tsx';
import { REALNAME_STRINGS } from './strings.ts';
import './realname.css';

const POLL_MS = 300;

type Step = { name: 'consent' } | { name: 'starting' } | { name: 'attempt'; state: RealNameState };

export function RealnameFlow({ lang, onDone }: RealnameScreenProps) {
  const { dispatch, speaker } = useFlow();
  const s = REALNAME_STRINGS[lang === 'en' ? 'en' : 'zh-CN'];
  const [step, setStep] = useState<Step>({ name: 'consent' });
  const ref = useRef<string | null>(null);
  const finished = useRef(false);

  // Leaving without confirming (返回, 首页, idle reset) cancels the read: the core forgets it.
  useEffect(
    () => () => {
      if (ref.current && !finished.current) void call('realnameCancel', { ref: ref.current }).catch(() => undefined);
    },
    [],
  );

  // Follow the attempt while it is not final.
  const phase = step.name === 'attempt' ? step.state.phase : null;
  useEffect(() => {
    if (step.name !== 'attempt' || phase === 'confirmed' || phase === 'ended') return;
    const r = step.state.ref;
    const iv = setInterval(() => {
      call('realnameState', { ref: r }).then(
        (st) => setStep((cur) => (cur.name === 'attempt' && cur.state.ref === r ? { name: 'attempt', state: st } : cur)),
        () =>
          setStep((cur) =>
            cur.name === 'attempt' ? { name: 'attempt', state: { ...cur.state, phase: 'error', error: 'unavailable' } } : cur,
          ),
      );
    }, POLL_MS);
    return () => clearInterval(iv);
  }, [step.name, phase, step.name === 'attempt' ? step.state.ref : null]);

  // Speak each step once as it appears.
  const spoken = useRef('');
  const promptId =
    step.name === 'consent'
      ? 'realname_consent'
      : step.name === 'attempt' && step.state.phase === 'waiting'
        ? step.state.cardOnReader
          ? 'realname_take_away'
          : 'realname_place'
        : step.name === 'attempt' && step.state.phase === 'read'
          ? 'realname_confirm'
          : step.name === 'attempt' && step.state.phase === 'error'
            ? `realname_error_${step.state.error ?? 'unreadable'}`
            : '';
  useEffect(() => {
    if (promptId && promptId !== spoken.current) {
      spoken.current = promptId;
      speaker.say(promptId);
    }
  }, [promptId, speaker]);

  async function agree() {
    setStep({ name: 'starting' });
    try {
      const st = await call('realnameStart', { consent: true });
      ref.current = st.ref;
      setStep({ name: 'attempt', state: st });
    } catch {
      setStep({
        name: 'attempt',
        state: { ref: crypto.randomUUID(), phase: 'error', error: 'unavailable', identity: null, cardOnReader: false },
      });
    }
  }

  /** 不同意, or giving up after an error: anonymous, not back to the choice. */
  function anonymous() {
    if (ref.current) void call('realnameCancel', { ref: ref.current }).catch(() => undefined);
    finished.current = true;
    // Same as the flow's own "real name unavailable" path: back to the choice, then anonymous.
    dispatch({ type: 'BACK' });
    dispatch({ type: 'CHOOSE_IDENTITY', identity: 'anonymous' });
  }

  async function retry(r: string) {
    const st = await call('realnameRetry', { ref: r }).catch(() => null);
    if (st) setStep({ name: 'attempt', state: st });
  }

  async function confirm(r: string) {
    const st = await call('realnameConfirm', { ref: r }).catch(() => null);
    if (st?.phase === 'confirmed') {
      finished.current = true;
      onDone(r);
    } else if (st) setStep({ name: 'attempt', state: st });
  }

  if (step.name === 'consent' || step.name === 'starting') {
    return (
      <Frame title={s.title}>
        <section className="rn-consent" aria-labelledby="rn-consent-lead">
          <p id="rn-consent-lead" className="lead">
            {s.consentLead}
          </p>
          <dl className="rn-terms">
            <dt>{s.consentWhat}</dt>
            <dd>{s.consentWhatText}</dd>
            <dt>{s.consentWhy}</dt>
            <dd>{s.consentWhyText}</dd>
            <dt>{s.consentKeep}</dt>
            <dd>{s.consentKeepText}</dd>
            <dt>{s.consentWho}</dt>
            <dd>{s.consentWhoText}</dd>
          </dl>
          <div className="rn-actions">
            <button type="button" className="btn btn-primary rn-big" disabled={step.name === 'starting'} onClick={() => void agree()}>
              {s.agree}
            </button>
            <button type="button" className="btn rn-big" onClick={anonymous}>
              {s.disagree}
            </button>
          </div>
        </section>
      </Frame>
    );
  }

  const st = step.state;
  if (st.phase === 'read' && st.identity) {
    return (
      <Frame title={s.readTitle}>
        <section className="center-block rn-read">
          <p className="rn-card-type">{s.cardTypes[st.identity.cardType]}</p>
          <div className="rn-id-row">
            {st.identity.photo ? (
              <img className="rn-photo" src={st.identity.photo} alt={s.photoAlt} data-testid="rn-photo" />
            ) : (
              // No licensed photo decoder on this booth: a neutral outline, never anyone's face.
              <svg className="rn-photo" viewBox="0 0 102 126" role="img" aria-label={s.photoPlaceholder} data-testid="rn-photo-placeholder">
                <rect width="102" height="126" fill="#e8ecef" />
                <circle cx="51" cy="48" r="22" fill="#b8c2cc" />
                <path d="M12 126c0-26 17-40 39-40s39 14 39 40z" fill="#b8c2cc" />
              </svg>
            )}
            <dl className="rn-identity">
              <dt>{s.name}</dt>
              <dd data-testid="rn-name">{st.identity.name}</dd>
              <dt>{s.idNumber}</dt>
              <dd data-testid="rn-number" className="rn-number">
                {st.identity.idNumberMasked}
              </dd>
            </dl>
          </div>
          <p className="lead">
            {s.confirmQuestion} <strong>{s.takeCardBack}</strong>
          </p>
          <div className="rn-actions">
            <button type="button" className="btn btn-primary rn-big" onClick={() => void confirm(st.ref)}>
              {s.confirm}
            </button>
            <button type="button" className="btn rn-big" onClick={() => void retry(st.ref)}>
              {s.notMe}
            </button>
          </div>
        </section>
      </Frame>
    );
  }

  if (st.phase === 'error') {
    const code = st.error ?? 'unreadable';
    // An unplugged reader may be back (a staff member replugged it): the resident can try again.
    const canRetry = code === 'unreadable' || code === 'wrong_card' || code === 'reader_unavailable';
    return (
      <Frame title={s.errorTitles[code]}>
        <section className="center-block" role="alert">
          <p className="lead rn-error-text">{s.errors[code]}</p>
          <div className="rn-actions">
            {canRetry && (
              <button type="button" className="btn btn-primary rn-big" onClick={() => void retry(st.ref)}>
                {s.retry}
              </button>
            )}
            <button type="button" className="btn rn-big" onClick={anonymous}>
              {s.anonymous}
            </button>
          </div>
        </section>
      </Frame>
    );
  }

  // waiting (or confirmed, until the flow moves on). Another card still lying on the reader: the
  // same picture played backwards (the card leaves the reader), so it never says "put it there".
  return (
    <Frame title={st.cardOnReader ? s.takeAwayTitle : s.placeTitle}>
      <section className="center-block rn-place" aria-live="polite">
        <div className={st.cardOnReader ? 'rn-animation rn-take-away' : 'rn-animation'} aria-hidden="true">
          <div className="rn-screen-outline" />
          <div className="rn-reader">
            <span className="rn-reader-glow" />
          </div>
          <div className="rn-card">
            <span className="rn-card-photo" />
            <span className="rn-card-lines" />
          </div>
          <div className="rn-arrow">➜</div>
        </div>
        <p className="lead">{st.cardOnReader ? s.takeAwayFirst : s.placeText}</p>
        <button type="button" className="btn rn-big" onClick={anonymous}>
          {s.anonymous}
        </button>
      </section>
    </Frame>
  );
}
