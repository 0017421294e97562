import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import type { CaptureKind } from '../machine.ts';
import { LangToggle } from './Frame.tsx';

const KINDS: CaptureKind[] = ['photo', 'video', 'audio'];

export function StartScreen({ blocked }: { blocked: boolean }) {
  const { t, dispatch, settings } = useFlow();
  return (
    <main className="screen screen-start">
      <header className="bar">
        <div className="bar-side" />
        <div className="bar-side bar-right">
          <LangToggle />
        </div>
      </header>
      {settings.outOfService ? (
        // Calm and plain: no error codes for residents; the technician's corner still works.
        <div className="out-of-service" data-testid="out-of-service" role="status">
          <Icon name="warning" size="96px" />
          <h1 className="start-title">{t.outOfServiceTitle}</h1>
          <p className="lead">{t.outOfServiceLine}</p>
        </div>
      ) : (
        <>
          <h1 className="start-title">{t.startTitle}</h1>
          <p className="lead">{t.startLine}</p>
        </>
      )}
      {settings.outOfService ? null : settings.storageLow ? (
        <div className="notice notice-warn" role="alert">
          <Icon name="warning" /> <strong>{t.storageFull}</strong>
          <p>{t.storageFullLine}</p>
        </div>
      ) : (
        <div className="kinds">
          {KINDS.map((k) => (
            <button key={k} type="button" className={`btn btn-kind kind-${k}`} disabled={blocked} onClick={() => dispatch({ type: 'CHOOSE_KIND', kind: k })}>
              <Icon name={k} size="4.0rem" />
              <span>{t.kind[k]}</span>
            </button>
          ))}
        </div>
      )}
    </main>
  );
}
