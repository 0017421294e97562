// Live preview from the face camera and a MediaRecorder (webm vp8/opus, TOOLCHAIN.md 1c).
import { useEffect, useRef, useState } from 'react';
import type { Dictionary } from '../i18n/index.ts';

const MIME = 'video/webm;codecs=vp8,opus';

export function RecordScreen(props: { t: Dictionary; limitSec: number; videoDeviceId?: string | null; audioDeviceId?: string | null; onDone: (b: Blob) => void; onCancel: () => void; onUnavailable: () => void }) {
  const { t, limitSec } = props;
  const video = useRef<HTMLVideoElement>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [live, setLive] = useState(false);
  const callbacks = useRef(props);
  callbacks.current = props;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    const chunks: Blob[] = [];
    let ticker: ReturnType<typeof setInterval> | undefined;
    navigator.mediaDevices
      // The technician's mapping (service screen) names the face camera and microphone: open exactly
      // those (Chromium does not honour an "ideal" deviceId), and if one was unplugged, the default
      // device rather than failing the resident.
      .getUserMedia({
        video: { width: 1280, height: 720, ...(props.videoDeviceId ? { deviceId: { exact: props.videoDeviceId } } : {}) },
        audio: props.audioDeviceId ? { deviceId: { exact: props.audioDeviceId } } : true,
      })
      .catch((e: unknown) => {
        if (!props.videoDeviceId && !props.audioDeviceId) throw e;
        return navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: true });
      })
      .then((s) => {
        if (cancelled) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        if (video.current) video.current.srcObject = s;
        const rec = new MediaRecorder(s, MediaRecorder.isTypeSupported(MIME) ? { mimeType: MIME } : {});
        rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
        rec.onstop = () => {
          s.getTracks().forEach((tr) => tr.stop());
          if (!cancelled) callbacks.current.onDone(new Blob(chunks, { type: rec.mimeType.split(';')[0] }));
        };
        rec.start(500);
        recorder.current = rec;
        setLive(true);
        const started = Date.now();
        ticker = setInterval(() => {
          const sec = Math.floor((Date.now() - started) / 1000);
          setElapsed(sec);
          if (sec >= limitSec && rec.state === 'recording') rec.stop();
        }, 250);
      })
      .catch(() => !cancelled && callbacks.current.onUnavailable());
    return () => {
      cancelled = true;
      clearInterval(ticker);
      if (recorder.current?.state === 'recording') recorder.current.stop();
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [limitSec]);

  return (
    <main className="screen record">
      <video ref={video} className="preview" autoPlay muted playsInline aria-label={t.recording} />
      <div className="record-bar">
        <span className="rec-dot" aria-hidden="true" />
        <span className="timer" role="timer" aria-live="off">
          {t.elapsed} {elapsed} {t.seconds} · {t.remaining} {Math.max(0, limitSec - elapsed)} {t.seconds}
        </span>
        <button type="button" className="big stop" disabled={!live} onClick={() => recorder.current?.state === 'recording' && recorder.current.stop()}>
          {t.stop}
        </button>
        <button type="button" className="big" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </main>
  );
}
