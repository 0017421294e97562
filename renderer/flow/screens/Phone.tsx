// The callback number on a large on-screen keypad: digits only, no OS keyboard.
import { useState } from 'react';
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import { canAppendDigit, checkPhone, formatPhone } from '../phone.ts';
import { Frame } from './Frame.tsx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function PhoneScreen() {
  const { t, dispatch, state, speaker } = useFlow();
  const [digits, setDigits] = useState(state.phone ?? '');
  const [shownError, setShownError] = useState(false);
  const required = state.identity === 'realname';
  const check = checkPhone(digits);
  const type = (d: string) => {
    dispatch({ type: 'TAP' });
    setShownError(false);
    if (canAppendDigit(digits)) setDigits(digits + d);
  };
  const done = () => {
    if (check.ok) dispatch({ type: 'PHONE_DONE', phone: check.digits });
    else {
      setShownError(true);
      speaker.say('phone_invalid');
      dispatch({ type: 'TAP' });
    }
  };
  return (
    <Frame title={t.phoneTitle}>
      <div className="phone">
        <div className="phone-left">
          <p className="lead">{required ? t.phoneLineRequired : t.phoneLineOptional}</p>
          <output className="phone-display" aria-live="polite" aria-label={t.phoneTitle}>
            {digits ? formatPhone(digits) : <span className="placeholder">{t.phoneEmpty}</span>}
          </output>
          <p className="error" role="alert">
            {shownError && !check.ok ? t.phoneInvalid : ''}
          </p>
          <div className="row">
            {!required && (
              <button type="button" className="btn btn-secondary" onClick={() => dispatch({ type: 'PHONE_DONE', phone: null })}>
                {t.phoneSkip}
              </button>
            )}
            <button type="button" className="btn btn-primary" onClick={done}>
              <Icon name="check" /> {t.phoneDone}
            </button>
          </div>
        </div>
        <div className="keypad" role="group" aria-label={t.phoneTitle}>
          {KEYS.map((k) => (
            <button key={k} type="button" className="btn key" onClick={() => type(k)}>
              {k}
            </button>
          ))}
          <button
            type="button"
            className="btn key key-fn"
            onClick={() => {
              setDigits('');
              setShownError(false);
              dispatch({ type: 'TAP' });
            }}
          >
            {t.phoneClear}
          </button>
          <button type="button" className="btn key" onClick={() => type('0')}>
            0
          </button>
          <button
            type="button"
            className="btn key key-fn"
            aria-label={t.phoneDelete}
            onClick={() => {
              setDigits(digits.slice(0, -1));
              setShownError(false);
              dispatch({ type: 'TAP' });
            }}
          >
            <Icon name="delete" size="56px" />
          </button>
        </div>
      </div>
    </Frame>
  );
}
