// The three capture screens: video (preview, 3-2-1, big red stop, elapsed/remaining, limit),
// audio (level meter, limit) and photos (face or document camera, freeze-frame, up to 9).
// A device that cannot be opened gives a plain-language screen offering what still works.
import { useEffect, useRef, useState } from 'react';
import type { ErrorCode } from '../../../contract/kiosk.ts';
import { errorText } from '../../i18n/index.ts';
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import { canAdd, DEFAULT_FLOW_CONFIG } from '../machine.ts';
import { workingKinds } from '../devices.ts';
import type { Role } from '../media.ts';
import { grabFrame, LevelMeter, openRole, Recording, stopStream } from '../media.ts';
import { deviceMissingPrompt, refusedItemPrompt } from '../spoken.ts';
import { Frame } from './Frame.tsx';

type Phase = 'opening' | 'ready' | 'countdown' | 'recording' | 'saving' | 'missing';

function useStageError() {
  const { t, media } = useFlow();
  // A recording the core could not take after review showed it, when it was the only item, brings
  // the resident back here: the reason stays on screen (it was also said aloud).
  const [error, setError] = useState<string | null>(() => (media.refused ? errorText(t, media.refused) : null));
  const show = (e: ErrorCode) => setError(errorText(t, e));
  return { error, setError, show };
}

/** Opens the device for `role` while mounted; reopens when the role changes. */
function useRoleStream(role: Role, withAudio: boolean) {
  const { settings, setDeviceWorks } = useFlow();
  const [stream, setStream] = useState<MediaStream | null>(null);
  type DevState = { phase: 'opening' | 'open' | 'missing'; fallback: boolean; label: string; device: 'camera' | 'microphone' };
  const [state, setState] = useState<DevState>({ phase: 'opening', fallback: false, label: '', device: 'camera' });
  useEffect(() => {
    let live = true;
    let opened: MediaStream | null = null;
    setState({ phase: 'opening', fallback: false, label: '', device: 'camera' });
    void openRole(role, settings.hardware ?? {}, withAudio).then((r) => {
      if (!live) {
        if (r.ok) stopStream(r.stream);
        return;
      }
      if (r.ok) {
        opened = r.stream;
        setStream(r.stream);
        if (role !== 'microphone') setDeviceWorks('camera', true);
        if (role === 'microphone' || withAudio) setDeviceWorks('microphone', true);
        setState({ phase: 'open', fallback: r.fallback, label: r.label, device: 'camera' });
        // An unplugged device ends its track: show the missing screen instead of a frozen picture
        // (a recording under way is saved first: useRecorder watches `phase`).
        r.stream.getTracks().forEach((tr) =>
          tr.addEventListener('ended', () => {
            if (!live) return;
            const device = tr.kind === 'audio' ? 'microphone' : 'camera';
            setDeviceWorks(device, false);
            setState((s) => ({ ...s, phase: 'missing', device }));
          }),
        );
      } else {
        setDeviceWorks(r.device, false);
        setState({ phase: 'missing', fallback: false, label: '', device: r.device });
      }
    });
    return () => {
      live = false;
      stopStream(opened);
      setStream(null);
    };
  }, [role, withAudio, settings.hardware, setDeviceWorks]);
  return { stream, ...state };
}

export function DeviceMissing({ device }: { device: 'camera' | 'microphone' }) {
  const { t, dispatch, state, settings, speaker, health } = useFlow();
  // Offered: the other modes the devices still allow (without a camera, voice; without a
  // microphone, photos), never one already found dead, so the resident is never sent round in a
  // loop; with none left, the plain "cannot record, call 12345".
  const failed = { camera: true, microphone: true, ...health, [device]: false };
  const possible = workingKinds(failed).filter(
    (k) => k !== state.kind && canAdd(state, k, { ...DEFAULT_FLOW_CONFIG, maxPhotos: settings.limits.photos }),
  );
  const none = possible.length === 0;
  // Said over the capture screen's own prompt, which asked for a device that is not there.
  useEffect(() => speaker.say(none ? 'no_devices' : deviceMissingPrompt(device)), [device, none, speaker]);
  return (
    <div className="center-block" role="alert">
      <p className="lead">
        <Icon name="warning" /> {device === 'microphone' ? t.microphoneMissing : t.cameraMissing}
      </p>
      {possible.length > 0 ? (
        <>
          <p>{t.deviceMissingLine}</p>
          <div className="row">
            {possible.map((k) => (
              <button
                key={k}
                type="button"
                className={`btn btn-kind-small kind-${k}`}
                onClick={() => dispatch({ type: 'CHOOSE_KIND', kind: k })}
              >
                <Icon name={k} size="2.29rem" /> {t.kind[k]}
              </button>
            ))}
          </div>
        </>
      ) : (
        <p>{t.noCaptureLeft}</p>
      )}
    </div>
  );
}

function fmt(ms: number, seconds: (s: number) => string): string {
  return seconds(Math.max(0, Math.round(ms / 1000)));
}

/**
 * Review plays the browser's own copy of a recording at once; the upload to the core and the core's
 * checks (remux, ffprobe, hash, poster) run behind it. When they are done, review gets the duration
 * and poster; if the core could not take the recording or refused it, the item leaves the list on
 * whatever screen the resident is (FlowApp drops it from the core and from memory), and review says
 * why in plain words and aloud (submit would refuse it anyway).
 */
function useCheckBehindReview() {
  const { api, sessionId, media, dispatch, speaker } = useFlow();
  return (itemId: string) =>
    void api.checkItem(sessionId, itemId).then((o) => {
      if (o.ok) return media.update(o.value);
      if (o.error === 'not_found' || o.error === 'session_closed') return; // deleted or reset meanwhile
      media.refused = o.error;
      dispatch({ type: 'ITEM_REFUSED', id: itemId });
      speaker.say(refusedItemPrompt(o.error));
    });
}

/** Video and audio share the record → stop → stage path; they differ in what they show. */
function useRecorder(kind: 'video' | 'audio', stream: MediaStream | null, limitMs: number, deviceLost: boolean) {
  const { dispatch, api, sessionId, media, speaker, lang, state } = useFlow();
  const [phase, setPhase] = useState<Phase>('ready');
  const [count, setCount] = useState(3);
  const [elapsed, setElapsed] = useState(0);
  const rec = useRef<Recording | null>(null);
  const started = useRef(0);
  const stageErr = useStageError();
  const checkBehind = useCheckBehindReview();
  const timers = useRef<number[]>([]);

  useEffect(
    () => () => {
      timers.current.forEach((h) => window.clearTimeout(h));
      void rec.current?.stop();
    },
    [],
  );

  const stop = async (interrupted = false) => {
    const r = rec.current;
    if (!r) return;
    rec.current = null;
    timers.current.forEach((h) => window.clearTimeout(h));
    setPhase('saving');
    const recordedSec = (performance.now() - started.current) / 1000;
    const blob = await r.stop();
    speaker.setMuted(false);
    if (blob.size === 0) {
      // Nothing was recorded (the device gave no data): no review of an empty take.
      stageErr.show('media_empty');
      speaker.say(refusedItemPrompt('media_empty'));
      dispatch({ type: 'RECORD_CANCEL' });
      setPhase('ready');
      return;
    }
    // Review plays the browser's copy now; the upload to the core runs behind (停止 → review does
    // not wait for it). Until the core's checks report the exact duration, review shows the time recorded.
    const { item } = api.holdItem(sessionId, lang, kind, blob, kind === 'video' ? 'face' : null, state.replacing, recordedSec);
    media.add(item, blob, interrupted);
    dispatch({ type: 'ITEM_CAPTURED', item: { id: item.itemId, kind } });
    checkBehind(item.itemId);
  };

  // The device went away (unplugged): a recording under way keeps what was recorded (review then
  // offers keep or redo); a countdown is called off so the session is no longer held.
  useEffect(() => {
    if (!deviceLost) return;
    timers.current.forEach((h) => window.clearTimeout(h));
    timers.current = [];
    if (rec.current) void stop(true);
    else if (phase === 'countdown') {
      speaker.setMuted(false);
      dispatch({ type: 'RECORD_CANCEL' });
      setPhase('ready');
    }
  }, [deviceLost]);

  const start = () => {
    if (!stream || phase !== 'ready') return;
    stageErr.setError(null);
    // Recording holds the session from the countdown on: no idle reset under the resident.
    dispatch({ type: 'RECORD_START' });
    setPhase('countdown');
    setCount(3);
    speaker.say('count_3');
    const at = (ms: number, fn: () => void) => timers.current.push(window.setTimeout(fn, ms));
    at(1000, () => {
      setCount(2);
      speaker.say('count_2');
    });
    at(2000, () => {
      setCount(1);
      speaker.say('count_1');
    });
    at(3000, () => {
      speaker.setMuted(true);
      rec.current = new Recording(stream, kind);
      started.current = performance.now();
      setElapsed(0);
      setPhase('recording');
      const tick = () => {
        const e = performance.now() - started.current;
        setElapsed(e);
        if (e >= limitMs) void stop();
        else at(250, tick);
      };
      at(250, tick);
    });
  };

  return { phase, count, elapsed, start, stop, error: stageErr.error };
}

function RecordControls({
  kind,
  phase,
  elapsed,
  limitMs,
  onStart,
  onStop,
}: {
  kind: 'video' | 'audio';
  phase: Phase;
  elapsed: number;
  limitMs: number;
  onStart: () => void;
  onStop: () => void;
}) {
  const { t } = useFlow();
  return (
    <div className="rec-controls">
      {phase === 'recording' ? (
        <>
          <div className="rec-times" role="timer" aria-live="off">
            <div>
              <span className="rec-dot" aria-hidden="true" /> {t.elapsed} <strong>{fmt(elapsed, t.seconds)}</strong>
            </div>
            <div>
              {t.remaining} <strong>{fmt(limitMs - elapsed, t.seconds)}</strong>
            </div>
            <div className="progress" aria-hidden="true">
              <div style={{ width: `${Math.min(100, (elapsed / limitMs) * 100)}%` }} />
            </div>
          </div>
          <button type="button" className="btn btn-stop" onClick={onStop}>
            <Icon name="stop" size="2.57rem" />
            <span>{t.stop}</span>
          </button>
        </>
      ) : (
        <>
          {phase !== 'saving' && phase !== 'countdown' && <p className="capture-hint">{t.captureHint[kind](Math.round(limitMs / 1000))}</p>}
          <button type="button" className="btn btn-record" disabled={phase !== 'ready'} onClick={onStart}>
            <span className="rec-circle" aria-hidden="true" />
            <span>{phase === 'saving' ? t.saving : t.recordStart[kind]}</span>
          </button>
        </>
      )}
    </div>
  );
}

function VideoCapture() {
  const { t, settings } = useFlow();
  const limitMs = settings.limits.videoSec * 1000;
  const dev = useRoleStream('faceCamera', true);
  const r = useRecorder('video', dev.stream, limitMs, dev.phase === 'missing');
  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (videoRef.current && dev.stream) videoRef.current.srcObject = dev.stream;
  }, [dev.stream]);
  if (dev.phase === 'missing') return r.phase === 'saving' ? <p className="lead">{t.saving}</p> : <DeviceMissing device={dev.device} />;
  return (
    <div className="capture">
      <div className="preview-wrap">
        <video
          ref={videoRef}
          className="preview mirror"
          autoPlay
          muted
          playsInline
          data-device-label={dev.label}
          aria-label={t.captureTitle.video}
        />
        {r.phase === 'countdown' && (
          <div className="countdown" role="status" aria-live="assertive">
            {r.count}
          </div>
        )}
        {r.phase === 'recording' && <div className="rec-badge">REC</div>}
      </div>
      <div className="side">
        {dev.fallback && <p className="notice">{t.fallbackCamera}</p>}
        {r.error && (
          <p className="error" role="alert">
            {r.error}
          </p>
        )}
        <RecordControls
          kind="video"
          phase={dev.phase === 'opening' ? 'opening' : r.phase}
          elapsed={r.elapsed}
          limitMs={limitMs}
          onStart={r.start}
          onStop={() => void r.stop()}
        />
      </div>
    </div>
  );
}

function AudioCapture() {
  const { t, settings } = useFlow();
  const limitMs = settings.limits.audioSec * 1000;
  const dev = useRoleStream('microphone', true);
  const r = useRecorder('audio', dev.stream, limitMs, dev.phase === 'missing');
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!dev.stream) return;
    let meter: LevelMeter | null = null;
    try {
      meter = new LevelMeter(dev.stream);
    } catch {
      return;
    }
    const h = window.setInterval(() => setLevel(meter?.level() ?? 0), 100);
    return () => {
      window.clearInterval(h);
      meter?.close();
    };
  }, [dev.stream]);
  if (dev.phase === 'missing') return r.phase === 'saving' ? <p className="lead">{t.saving}</p> : <DeviceMissing device={dev.device} />;
  const bars = 12;
  const lit = Math.round(level * bars);
  return (
    <div className="capture">
      <div className="meter-wrap">
        <Icon name="audio" size="5.71rem" />
        <div
          className="level-meter"
          role="meter"
          aria-label={t.levelMeter}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(level * 100)}
        >
          {Array.from({ length: bars }, (_, i) => (
            <span key={i} className={i < lit ? 'on' : ''} />
          ))}
        </div>
        {r.phase === 'countdown' && (
          <div className="countdown countdown-inline" role="status" aria-live="assertive">
            {r.count}
          </div>
        )}
      </div>
      <div className="side">
        {r.error && (
          <p className="error" role="alert">
            {r.error}
          </p>
        )}
        <RecordControls
          kind="audio"
          phase={dev.phase === 'opening' ? 'opening' : r.phase}
          elapsed={r.elapsed}
          limitMs={limitMs}
          onStart={r.start}
          onStop={() => void r.stop()}
        />
      </div>
    </div>
  );
}

function PhotoCapture() {
  const { t, state, dispatch, settings, api, sessionId, media, lang, speaker } = useFlow();
  const [role, setRole] = useState<'documentCamera' | 'faceCamera'>('documentCamera');
  const dev = useRoleStream(role, false);
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [frozen, setFrozen] = useState<Blob | null>(null);
  const [busy, setBusy] = useState(false);
  const stageErr = useStageError();
  const checkBehind = useCheckBehindReview();
  useEffect(() => {
    if (videoRef.current && dev.stream) videoRef.current.srcObject = dev.stream;
  }, [dev.stream]);
  const photos = state.items.filter((i) => i.kind === 'photo').length;
  const full = !state.replacing && photos >= settings.limits.photos;
  if (dev.phase === 'missing') return <DeviceMissing device={dev.device} />;

  const shoot = async () => {
    if (!videoRef.current || !canvasRef.current || full) return;
    dispatch({ type: 'RECORD_START' });
    setFrozen(await grabFrame(videoRef.current, canvasRef.current));
  };
  const keep = async () => {
    if (!frozen) return;
    setBusy(true);
    const staged = await api.stageItem(sessionId, lang, 'photo', frozen, role === 'faceCamera' ? 'face' : 'document', state.replacing);
    setBusy(false);
    setFrozen(null);
    if (staged.ok) {
      media.add(staged.value, frozen);
      dispatch({ type: 'ITEM_CAPTURED', item: { id: staged.value.itemId, kind: 'photo' } });
      checkBehind(staged.value.itemId);
    } else {
      stageErr.show(staged.error);
      speaker.say(refusedItemPrompt(staged.error));
    }
  };
  return (
    <div className="capture">
      <div className="preview-wrap">
        <video
          ref={videoRef}
          className={`preview ${role === 'faceCamera' ? 'mirror' : ''}`}
          autoPlay
          muted
          playsInline
          data-device-label={dev.label}
          aria-label={role === 'faceCamera' ? t.faceCamera : t.documentCamera}
          hidden={frozen !== null}
        />
        <canvas ref={canvasRef} className="preview" hidden={frozen === null} aria-label={t.keepPhoto} />
      </div>
      <div className="side">
        {dev.fallback && <p className="notice">{t.fallbackCamera}</p>}
        {stageErr.error && (
          <p className="error" role="alert">
            {stageErr.error}
          </p>
        )}
        {frozen ? (
          <>
            <button type="button" className="btn btn-primary btn-tall" disabled={busy} onClick={() => void keep()}>
              <Icon name="check" /> {busy ? t.saving : t.keepPhoto}
            </button>
            <button type="button" className="btn btn-secondary btn-tall" disabled={busy} onClick={() => setFrozen(null)}>
              <Icon name="redo" /> {t.retakePhoto}
            </button>
          </>
        ) : (
          <>
            <div className="row cam-switch" role="group">
              <button
                type="button"
                className="btn btn-toggle"
                aria-pressed={role === 'documentCamera'}
                onClick={() => setRole('documentCamera')}
              >
                <Icon name="document" /> {t.documentCamera}
              </button>
              <button type="button" className="btn btn-toggle" aria-pressed={role === 'faceCamera'} onClick={() => setRole('faceCamera')}>
                <Icon name="face" /> {t.faceCamera}
              </button>
            </div>
            {!full && <p className="capture-hint">{t.captureHint.photo(settings.limits.photos)}</p>}
            <p className="count-line">{full ? t.photoLimit(settings.limits.photos) : t.photosTaken(photos, settings.limits.photos)}</p>
            <button type="button" className="btn btn-shutter" disabled={full || dev.phase !== 'open'} onClick={() => void shoot()}>
              <Icon name="photo" size="2.57rem" />
              <span>{t.takePhoto}</span>
            </button>
            {photos > 0 && (
              <button type="button" className="btn btn-primary" onClick={() => dispatch({ type: 'CAPTURE_DONE' })}>
                <Icon name="check" /> {t.next}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}

export function CaptureScreen() {
  const { t, state } = useFlow();
  const body =
    state.kind === 'video' ? (
      <VideoCapture key={`v${state.replacing}`} />
    ) : state.kind === 'audio' ? (
      <AudioCapture key={`a${state.replacing}`} />
    ) : (
      <PhotoCapture key={`p${state.replacing}`} />
    );
  return (
    <Frame title={t.captureTitle[state.kind]} back={!state.recording} home={!state.recording} className="screen-capture">
      {body}
    </Frame>
  );
}
