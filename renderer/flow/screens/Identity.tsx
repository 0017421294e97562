import type { ComponentType } from 'react';
import type { Language } from '../../../contract/kiosk.ts';
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import { Frame } from './Frame.tsx';

export function IdentityScreen() {
  const { t, dispatch } = useFlow();
  return (
    <Frame title={t.identityTitle}>
      <div className="choices">
        <button type="button" className="btn btn-choice" onClick={() => dispatch({ type: 'CHOOSE_IDENTITY', identity: 'anonymous' })}>
          <Icon name="person" size="3.43rem" />
          <span className="choice-main">{t.anonymous}</span>
          <span className="choice-sub">{t.anonymousLine}</span>
        </button>
        <button type="button" className="btn btn-choice" onClick={() => dispatch({ type: 'CHOOSE_IDENTITY', identity: 'realname' })}>
          <Icon name="idcard" size="3.43rem" />
          <span className="choice-main">{t.realname}</span>
          <span className="choice-sub">{t.realnameLine}</span>
        </button>
      </div>
    </Frame>
  );
}

/**
 * Hand-over point to the ID-card flow (renderer/realname/, issue 5). FlowApp passes the component
 * it was given; it calls onDone with an opaque reference the core resolves at submit time (the
 * ID data never passes through the flow), or onCancel to come back to the identity choice.
 */
export interface RealnameScreenProps {
  lang: Language;
  onDone: (ref: string) => void;
  onCancel: () => void;
}

export function RealnameScreen({ component: Component }: { component: ComponentType<RealnameScreenProps> | null }) {
  const { t, dispatch, lang, settings } = useFlow();
  if (Component && settings.resident.realnameAvailable) {
    return <Component lang={lang} onDone={(ref) => dispatch({ type: 'REALNAME_DONE', ref })} onCancel={() => dispatch({ type: 'BACK' })} />;
  }
  return (
    <Frame title={t.realname}>
      <div className="center-block">
        <p className="lead" role="status">
          <Icon name="idcard" /> {t.realnameUnavailable}
        </p>
        <button
          type="button"
          className="btn btn-primary btn-wide"
          onClick={() => {
            dispatch({ type: 'BACK' });
            dispatch({ type: 'CHOOSE_IDENTITY', identity: 'anonymous' });
          }}
        >
          <Icon name="person" /> {t.realnameUseAnonymous}
        </button>
      </div>
    </Frame>
  );
}
