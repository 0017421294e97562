// 扫码登记: the service screen reads the enrolment QR from the staff app (contract/enrolQr.ts) with the
// document camera, shows what it read in plain words, and on the technician's tap provisions the
// running booth through the core exactly as `booth provision` does (serviceEnrol with the QR's CA
// fingerprint: the core fetches the village CA, checks it, checks the intake over TLS, then spends the code).
import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'react';
import { formatFingerprint, readEnrolmentQr, type EnrolQr, type EnrolQrProblem } from '../../contract/enrolQr.ts';
import { call, CoreError } from '../api.ts';
import type { ServiceStrings } from './strings.ts';

type Phase = { kind: 'idle' } | { kind: 'scanning' } | { kind: 'read'; qr: EnrolQr } | { kind: 'enrolling'; qr: EnrolQr };

/** Frames from the camera, decoded a few times a second until an enrolment QR is read. */
function QrScanner({
  deviceId,
  onRead,
  onProblem,
  onNoCamera,
  label,
}: {
  deviceId: string | null;
  onRead: (qr: EnrolQr) => void;
  onProblem: (p: EnrolQrProblem) => void;
  onNoCamera: () => void;
  label: string;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const cbs = useRef({ onRead, onProblem, onNoCamera });
  cbs.current = { onRead, onProblem, onNoCamera };
  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer = 0;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const tick = () => {
      if (stopped) return;
      const v = video.current;
      if (v && ctx && v.readyState >= 2 && v.videoWidth > 0) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        ctx.drawImage(v, 0, 0);
        const frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
        if (found) {
          const r = readEnrolmentQr(found.data);
          if (r.ok) return cbs.current.onRead(r.qr);
          cbs.current.onProblem(r.problem);
        }
      }
      timer = window.setTimeout(tick, 250);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 } } })
      .then(
        (s) => {
          if (stopped) return s.getTracks().forEach((tr) => tr.stop());
          stream = s;
          if (video.current) video.current.srcObject = s;
          tick();
        },
        () => cbs.current.onNoCamera(),
      );
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [deviceId]);
  return <video ref={video} className="service-preview" autoPlay muted playsInline aria-label={label} />;
}

export function QrEnrol({
  t,
  token,
  documentCamera,
  onNote,
  onForbidden,
}: {
  t: ServiceStrings;
  token: string;
  /** The mapped document camera; null = the default camera. */
  documentCamera: string | null;
  onNote: (n: string) => void;
  onForbidden: () => void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [problem, setProblem] = useState<string | null>(null);

  async function enrol(qr: EnrolQr) {
    setPhase({ kind: 'enrolling', qr });
    onNote(t.enrolling);
    try {
      const r = await call('serviceEnrol', { serviceToken: token, code: qr.code, intakeUrl: qr.intake, caFingerprint: qr.caFingerprint });
      onNote(
        r.enrolled && r.booth ? t.enrolOk(r.booth.boothCode, r.booth.village, r.booth.location) : t.enrolRefused[r.reason ?? 'failed'],
      );
    } catch (e) {
      if (e instanceof CoreError && e.error.code === 'forbidden') return onForbidden();
      onNote(t.callFailed);
    }
    setPhase({ kind: 'read', qr });
  }

  return (
    <div className="service-qr" data-testid="qr-enrol">
      {phase.kind === 'idle' && (
        <button
          type="button"
          className="primary"
          onClick={() => {
            setProblem(null);
            setPhase({ kind: 'scanning' });
          }}
        >
          {t.scanEnrol}
        </button>
      )}
      {phase.kind === 'scanning' && (
        <>
          <p>{t.scanHint}</p>
          <QrScanner
            deviceId={documentCamera}
            label={t.scanEnrol}
            onRead={(qr) => {
              setProblem(null);
              setPhase({ kind: 'read', qr });
            }}
            onProblem={(p) => setProblem(t.scanProblem[p])}
            onNoCamera={() => {
              setProblem(t.scanNoCamera);
              setPhase({ kind: 'idle' });
            }}
          />
          <button type="button" onClick={() => setPhase({ kind: 'idle' })}>
            {t.scanStop}
          </button>
        </>
      )}
      {(phase.kind === 'read' || phase.kind === 'enrolling') && (
        <>
          <p>{t.scanRead}</p>
          <dl className="service-qr-read" data-testid="qr-read">
            <dt>{t.enrolIntake}</dt>
            <dd>{phase.qr.intake}</dd>
            <dt>{t.enrolCode}</dt>
            <dd>{`${phase.qr.code.slice(0, 5)}-${phase.qr.code.slice(5)}`}</dd>
            <dt>{t.scanCaLabel}</dt>
            <dd>{phase.qr.caFingerprint ? t.scanCaPinned(formatFingerprint(phase.qr.caFingerprint)) : t.scanCaPublic}</dd>
          </dl>
          <button type="button" className="primary" disabled={phase.kind === 'enrolling'} onClick={() => void enrol(phase.qr)}>
            {t.scanDo}
          </button>
          <button type="button" disabled={phase.kind === 'enrolling'} onClick={() => setPhase({ kind: 'scanning' })}>
            {t.scanAgain}
          </button>
        </>
      )}
      {problem && (
        <p role="alert" className="service-note">
          {problem}
        </p>
      )}
    </div>
  );
}
