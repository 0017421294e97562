import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import type { CaptureKind } from '../machine.ts';
import { workingKinds } from '../devices.ts';
import { LangToggle } from './Frame.tsx';
import { useNow } from './useNow.ts';

/** Just after 回到首页: the session is still there; one big button brings it back. */
function UndoOffer({ until }: { until: number }) {
  const { t, dispatch, clock } = useFlow();
  const left = Math.max(0, Math.ceil((until - useNow(clock, 250)) / 1000));
  return (
    <div className="undo-offer" role="status">
      <p className="lead">{t.undoLine(left)}</p>
      <button type="button" className="btn btn-primary" onClick={() => dispatch({ type: 'UNDO' })}>
        <Icon name="back" /> {t.undo}
      </button>
    </div>
  );
}

const KINDS: CaptureKind[] = ['photo', 'video', 'audio'];

export function StartScreen({ blocked }: { blocked: boolean }) {
  const { t, dispatch, settings, state, health } = useFlow();
  const kinds = KINDS.filter((k) => workingKinds(health).includes(k));
  return (
    <main className={`screen screen-start${state.undo ? ' has-undo' : ''}`}>
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
          {/* The line invites to photograph, film or speak: not when the booth cannot (disk nearly
              full, no device), and the way back takes its place for the few seconds it is offered. */}
          {!state.undo && !settings.storageLow && kinds.length > 0 && <p className="lead">{t.startLine}</p>}
        </>
      )}
      {state.undo && <UndoOffer until={state.undo.until} />}
      {settings.outOfService ? null : settings.storageLow ? (
        <div className="notice notice-warn" role="alert">
          <Icon name="warning" /> <strong>{t.storageFull}</strong>
          <p>{t.storageFullLine}</p>
        </div>
      ) : kinds.length === 0 ? (
        // No camera and no microphone: say so at once, with the number to call; nothing to press.
        <div className="notice notice-warn" role="alert" data-testid="no-devices">
          <Icon name="warning" /> <strong>{t.noDevices}</strong>
          <p>{t.noDevicesLine}</p>
        </div>
      ) : (
        <div className="kinds">
          {kinds.map((k) => (
            <button
              key={k}
              type="button"
              className={`btn btn-kind kind-${k}`}
              disabled={blocked}
              onClick={() => dispatch({ type: 'CHOOSE_KIND', kind: k })}
            >
              <Icon name={k} size="4.0rem" />
              <span>{t.kind[k]}</span>
            </button>
          ))}
        </div>
      )}
    </main>
  );
}
