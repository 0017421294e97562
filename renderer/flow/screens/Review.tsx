// Review: every item of the submission, each playable, re-doable and deletable; add more.
import { useRef, useState, useSyncExternalStore } from 'react';
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import type { CaptureKind, FlowItem } from '../machine.ts';
import { canAdd, DEFAULT_FLOW_CONFIG } from '../machine.ts';
import { Frame } from './Frame.tsx';
import { errorText } from '../../i18n/index.ts';

function Player({ item, label }: { item: FlowItem; label: string }) {
  const { t, media, dispatch } = useFlow();
  useSyncExternalStore(media.subscribe, media.snapshot); // the poster and exact duration arrive after review shows
  const m = media.get(item.id);
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  if (!m) return null;
  const toggle = () => {
    const el = ref.current;
    if (!el) return;
    dispatch({ type: 'TAP' });
    if (el.paused) void el.play();
    else el.pause();
  };
  // Watching a long video is activity too: keep the idle clock from running out under it.
  const events = {
    onPlay: () => setPlaying(true),
    onPause: () => setPlaying(false),
    onEnded: () => setPlaying(false),
    onTimeUpdate: () => dispatch({ type: 'TAP' }),
  };
  if (item.kind === 'photo') return <img className="thumb" src={m.url} alt={label} />;
  return (
    <div className="player">
      {item.kind === 'video' ? (
        <video
          ref={ref}
          className="thumb"
          src={m.url}
          poster={m.posterDataUrl ?? undefined}
          playsInline
          preload="metadata"
          aria-label={label}
          {...events}
        />
      ) : (
        <div className="thumb thumb-audio">
          <Icon name="audio" size="3.43rem" />
          <audio ref={ref} src={m.url} preload="metadata" aria-label={label} {...events} />
        </div>
      )}
      <button type="button" className="btn btn-play" onClick={toggle}>
        <Icon name={playing ? 'pause' : 'play'} /> {playing ? t.stop : label}
        {m.durationSec !== null && <span className="dur"> {t.seconds(Math.round(m.durationSec))}</span>}
      </button>
    </div>
  );
}

export function ReviewScreen() {
  const { t, state, dispatch, media, settings } = useFlow();
  const config = { ...DEFAULT_FLOW_CONFIG, maxPhotos: settings.limits.photos };
  const n: Record<CaptureKind, number> = { video: 0, audio: 0, photo: 0 };
  // 删除 asks first (是/否); 重录 keeps the original until the new take is in, which then takes its
  // place in the list. FlowApp drops whatever leaves the list from the core and from memory.
  const remove = (id: string) => dispatch({ type: 'ASK', ask: { action: 'delete', id } });
  const redo = (id: string) => dispatch({ type: 'REDO', id });
  return (
    <Frame title={t.reviewTitle}>
      {/* Full width above the list: inside a narrow item card the words would run under the buttons. */}
      {media.refused ? (
        <p className="error" role="alert">
          <Icon name="warning" /> {errorText(t, media.refused)}
        </p>
      ) : state.items.some((i) => media.get(i.id)?.interrupted) ? (
        <p className="notice" role="status">
          <Icon name="warning" /> {t.recordingInterrupted}
        </p>
      ) : (
        <p className="lead">{t.reviewLine}</p>
      )}
      <ul className="items" aria-label={t.reviewTitle}>
        {state.items.map((item) => {
          n[item.kind] += 1;
          const label = t.itemLabel(item.kind, n[item.kind]);
          return (
            <li key={item.id} className={`item item-${item.kind}`}>
              <Player item={item} label={label} />
              <div className="item-actions">
                <button type="button" className="btn btn-secondary" aria-label={`${t.redo} ${label}`} onClick={() => redo(item.id)}>
                  <Icon name="redo" /> {t.redo}
                </button>
                <button type="button" className="btn btn-danger" aria-label={`${t.delete} ${label}`} onClick={() => remove(item.id)}>
                  <Icon name="trash" /> {t.delete}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="row bottom-row">
        {(['photo', 'video', 'audio'] as const).map((k) => (
          <button
            key={k}
            type="button"
            className="btn btn-secondary"
            disabled={!canAdd(state, k, config)}
            onClick={() => dispatch({ type: 'ADD_MORE', kind: k })}
          >
            <Icon name="plus" /> {t.addKind(t.kind[k])}
          </button>
        ))}
        <button type="button" className="btn btn-primary btn-next" onClick={() => dispatch({ type: 'REVIEW_DONE' })}>
          <Icon name="check" /> {t.next}
        </button>
      </div>
    </Frame>
  );
}
