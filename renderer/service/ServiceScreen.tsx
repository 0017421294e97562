// The technician's service screen: PIN pad, then cameras side by side (assign face / document),
// microphone with a live level, speaker test, reader port + test read, printer test, network and
// queue state, version, save, exit. It locks itself and returns to the start screen after the
// booth's idle timeout, like every screen.
import { useEffect, useRef, useState } from 'react';
import type {
  HardwareChoice,
  Language,
  PrinterSetting,
  ReaderInfo,
  ReaderPort,
  ReaderTestRead,
  ServiceCheck,
  ServiceState,
} from '../../contract/kiosk.ts';
import { call, CoreError } from '../api.ts';
import { REALNAME_STRINGS } from '../realname/strings.ts';
import { QrEnrol } from './QrEnrol.tsx';
import { serviceStrings, type ServiceStrings } from './strings.ts';
import './service.css';

function useIdle(timeoutSec: number, onIdle: () => void) {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    let timer = setTimeout(() => cb.current(), timeoutSec * 1000);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => cb.current(), timeoutSec * 1000);
    };
    const events = ['pointerdown', 'keydown', 'change'] as const;
    events.forEach((e) => window.addEventListener(e, reset, true));
    return () => {
      clearTimeout(timer);
      events.forEach((e) => window.removeEventListener(e, reset, true));
    };
  }, [timeoutSec]);
}

export function ServiceScreen({
  language: initial,
  idleTimeoutSec,
  onExit,
}: {
  language: Language;
  idleTimeoutSec: number;
  onExit: () => void;
}) {
  // Chinese first; a visiting support engineer may switch the screen to English (every message follows).
  const [language, setLanguage] = useState<Language>(initial);
  const t = serviceStrings[language];
  const [session, setSession] = useState<{ token: string; idle: number } | null>(null);
  if (!session)
    return <PinPad t={t} idleTimeoutSec={idleTimeoutSec} onCancel={onExit} onUnlocked={(token, idle) => setSession({ token, idle })} />;
  return (
    <ServicePanel
      t={t}
      language={language}
      onLanguage={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}
      token={session.token}
      idleTimeoutSec={session.idle}
      onExit={onExit}
    />
  );
}

/** A reader port in plain words: "USB 读卡器 · 精伦 iDR200 family (SAM_V) · usb:0400:c35a". */
function readerPortLabel(t: ServiceStrings, p: ReaderPort): string {
  return [p.simulated ? t.readerSimulated : t.readerKinds[p.kind], p.model, p.port].filter(Boolean).join(' · ');
}

/**
 * The doctor's checks as the running core sees them, in plain words in the screen's language, with
 * 重新检查. Chinese: the check's name, its state and what to do; English: the doctor's own words.
 */
function SelfTest({ t, language, token, onForbidden }: { t: ServiceStrings; language: Language; token: string; onForbidden: () => void }) {
  const [checks, setChecks] = useState<ServiceCheck[] | null>(null);
  const [running, setRunning] = useState(false);
  const [failed, setFailed] = useState(false);
  async function run() {
    setRunning(true);
    setFailed(false);
    try {
      setChecks((await call('serviceDoctor', { serviceToken: token })).checks);
    } catch (e) {
      if (e instanceof CoreError && e.error.code === 'forbidden') return onForbidden();
      setFailed(true);
    } finally {
      setRunning(false);
    }
  }
  useEffect(() => {
    void run();
  }, [token]);
  const words = (c: ServiceCheck): string => {
    if (language === 'en') return c.fix ? `${c.text} ${c.fix}` : c.text;
    return c.status === 'ok' ? '' : (t.checkAdvice[c.id] ?? t.callFailed);
  };
  return (
    <section aria-labelledby="selftest-title" className="service-row service-selftest">
      <h3 id="selftest-title">{t.selfTest}</h3>
      <button type="button" disabled={running} onClick={() => void run()} data-testid="service-recheck">
        {running ? t.checking : t.recheck}
      </button>
      {failed && <p role="alert">{t.callFailed}</p>}
      <ul className="service-checks" data-testid="service-checks">
        {(checks ?? []).map((c) => (
          <li key={c.id} className={`check check-${c.status}`} data-check={c.id} data-status={c.status}>
            <strong>{t.checkNames[c.id] ?? c.id}</strong> <span className="check-status">{t.checkStatus[c.status]}</span>
            {words(c) && <span className="check-words"> {words(c)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The receipt printer: none, a device file or a network printer; saved to booth.json, used from the next receipt. */
function PrinterSettings({
  t,
  token,
  initial,
  onNote,
  onForbidden,
}: {
  t: ServiceStrings;
  token: string;
  initial: PrinterSetting | null;
  onNote: (n: string) => void;
  onForbidden: () => void;
}) {
  const [kind, setKind] = useState<'none' | 'file' | 'tcp'>(initial?.kind ?? 'none');
  const [path, setPath] = useState(initial?.kind === 'file' ? initial.path : '/dev/usb/lp0');
  const [host, setHost] = useState(initial?.kind === 'tcp' ? initial.host : '');
  const [port, setPort] = useState(initial?.kind === 'tcp' ? initial.port : 9100);
  const [width, setWidth] = useState(initial?.widthDots ?? 384);
  async function save() {
    const printer: PrinterSetting | null =
      kind === 'none' ? null : kind === 'file' ? { kind, path, widthDots: width } : { kind, host, port, widthDots: width };
    try {
      await call('serviceSavePrinter', { serviceToken: token, printer });
      onNote(t.printerSaved);
    } catch (e) {
      if (e instanceof CoreError && e.error.code === 'forbidden') return onForbidden();
      onNote(t.callFailed);
    }
  }
  return (
    <section aria-labelledby="printer-title" className="service-row service-printer">
      <h3 id="printer-title">{t.printer}</h3>
      <label>
        {t.printerKind}{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as 'none' | 'file' | 'tcp')} data-testid="printer-kind">
          {(['none', 'file', 'tcp'] as const).map((k) => (
            <option key={k} value={k}>
              {t.printerKinds[k]}
            </option>
          ))}
        </select>
      </label>
      {kind === 'file' && (
        <label>
          {t.printerPath} <input value={path} onChange={(e) => setPath(e.target.value)} />
        </label>
      )}
      {kind === 'tcp' && (
        <>
          <label>
            {t.printerHost} <input value={host} onChange={(e) => setHost(e.target.value)} />
          </label>
          <label>
            {t.printerPort}{' '}
            <input type="number" min={1} max={65535} value={port} onChange={(e) => setPort(Number(e.target.value) || 9100)} />
          </label>
        </>
      )}
      {kind !== 'none' && (
        <label>
          {t.printerWidth}{' '}
          <input type="number" min={200} max={1000} value={width} onChange={(e) => setWidth(Number(e.target.value) || 384)} />
        </label>
      )}
      <button type="button" onClick={() => void save()}>
        {t.printerSave}
      </button>
      <button
        type="button"
        onClick={() =>
          void call('serviceTestPrinter', { serviceToken: token }).then(
            (r) => onNote(t.printerTestResult[r.reason]),
            () => onNote(t.callFailed),
          )
        }
      >
        {t.printerTest}
      </button>
    </section>
  );
}

/** The first test card of the simulator (drivers/idcard/simulator/cards.ts): a resident ID card. */
const TEST_CARD = 'resident';

/** What a test read found, in words: the card type and the masked name and number, never more. */
function readResult(t: ServiceStrings, language: Language, waitSec: number, r: ReaderTestRead): string {
  switch (r.outcome) {
    case 'card':
      return r.card
        ? `${t.readOk}${REALNAME_STRINGS[language].cardTypes[r.card.cardType]} · ${r.card.nameMasked} · ${r.card.idNumberMasked}`
        : t.readNoCard(waitSec);
    case 'no_card':
      return t.readNoCard(waitSec);
    case 'card_error':
      return t.readCardError[r.error ?? 'unreadable'];
    case 'not_ready':
      return t.readNotReady;
    case 'busy':
      return t.readBusy;
    case 'absent':
      return t.readAbsent;
  }
}

/**
 * A real card read through the booth's reader session (the live one, whatever port is chosen
 * above), and, when the reader is the simulator, a switch that lays its test card on it or takes it off.
 */
function ReaderRead({
  t,
  language,
  token,
  onForbidden,
}: {
  t: ServiceStrings;
  language: Language;
  token: string;
  onForbidden: () => void;
}) {
  const [waitSec, setWaitSec] = useState(15);
  const [reading, setReading] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [reader, setReader] = useState<ReaderInfo | null>(null);
  useEffect(() => {
    call('reader', {}).then(setReader, () => setReader(null));
  }, []);

  async function read() {
    setReading(true);
    setResult(null);
    try {
      setResult(readResult(t, language, waitSec, await call('serviceReadCard', { serviceToken: token, timeoutSec: waitSec })));
    } catch (e) {
      if (e instanceof CoreError && e.error.code === 'forbidden') return onForbidden();
      setResult(t.callFailed);
    } finally {
      setReading(false);
      call('reader', {}).then(setReader, () => undefined);
    }
  }

  async function toggleTestCard() {
    try {
      setReader(await call('readerTestCard', { card: reader?.testCard ? null : TEST_CARD }));
    } catch {
      setResult(t.callFailed);
    }
  }

  return (
    <div className="service-read">
      <label>
        {t.readWait}{' '}
        <input
          type="number"
          min={1}
          max={60}
          value={waitSec}
          disabled={reading}
          onChange={(e) => setWaitSec(Math.min(60, Math.max(1, Math.round(Number(e.target.value)) || 1)))}
        />
      </label>
      <button type="button" disabled={reading} onClick={() => void read()}>
        {t.readCard}
      </button>
      {reader?.simulated && (
        <button type="button" aria-pressed={reader.testCard !== null} onClick={() => void toggleTestCard()}>
          {reader.testCard ? t.testCardOff : t.testCardOn} {t.simulated}
        </button>
      )}
      <p className="service-read-result" aria-live="polite" data-testid="service-read-result">
        {reading ? t.reading(waitSec) : result}
      </p>
      {reader && reader.state !== 'absent' && (
        <p className="service-read-retries" data-testid="reader-retries">
          {t.readerRetries(reader.resends, reader.retries)}
        </p>
      )}
    </div>
  );
}

function PinPad({
  t,
  idleTimeoutSec,
  onUnlocked,
  onCancel,
}: {
  t: ServiceStrings;
  idleTimeoutSec: number;
  onUnlocked: (token: string, idle: number) => void;
  onCancel: () => void;
}) {
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  useIdle(idleTimeoutSec, onCancel);
  async function submit() {
    const r = await call('serviceUnlock', { pin }).catch(() => null);
    setPin('');
    if (r?.unlocked) return onUnlocked(r.serviceToken, r.idleTimeoutSec);
    setMessage(r && r.lockedForSec > 0 ? t.pinLocked(r.lockedForSec) : t.pinWrong);
  }
  return (
    <main className="screen service-pin" aria-labelledby="pin-title">
      <h2 id="pin-title">{t.pinTitle}</h2>
      <output className="pin-dots" aria-label={t.pinTitle}>
        {'●'.repeat(pin.length) || ' '}
      </output>
      {message && (
        <p role="alert" className="pin-message">
          {message}
        </p>
      )}
      <div className="pin-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <button key={d} type="button" onClick={() => setPin((p) => (p.length < 12 ? p + d : p))}>
            {d}
          </button>
        ))}
        <button type="button" onClick={() => setPin('')}>
          {t.clear}
        </button>
        <button type="button" onClick={() => setPin((p) => (p.length < 12 ? `${p}0` : p))}>
          0
        </button>
        <button type="button" className="primary" disabled={pin.length === 0} onClick={() => void submit()}>
          {t.ok}
        </button>
      </div>
      <button type="button" className="big" onClick={onCancel}>
        {t.cancel}
      </button>
    </main>
  );
}

function CameraPreview({ deviceId, label }: { deviceId: string; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 360 } } }).then(
      (s) => {
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        if (video.current) video.current.srcObject = s;
      },
      () => undefined,
    );
    return () => {
      stopped = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [deviceId]);
  return <video ref={video} className="service-preview" autoPlay muted playsInline aria-label={label} />;
}

function MicLevel({ deviceId, label }: { deviceId: string | null; label: string }) {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let ctx: AudioContext | null = null;
    let raf = 0;
    let stopped = false;
    navigator.mediaDevices
      .getUserMedia({
        audio: {
          ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
          echoCancellation: false,
          noiseSuppression: false,
          autoGainControl: false,
        },
      })
      .then(
        (s) => {
          if (stopped) return s.getTracks().forEach((tr) => tr.stop());
          stream = s;
          ctx = new AudioContext();
          const analyser = ctx.createAnalyser();
          analyser.fftSize = 1024;
          ctx.createMediaStreamSource(s).connect(analyser);
          const buf = new Float32Array(analyser.fftSize);
          const tick = () => {
            analyser.getFloatTimeDomainData(buf);
            let peak = 0;
            for (const v of buf) peak = Math.max(peak, Math.abs(v));
            setLevel(Math.round(Math.min(1, peak) * 100));
            raf = requestAnimationFrame(tick);
          };
          tick();
        },
        () => undefined,
      );
    return () => {
      stopped = true;
      cancelAnimationFrame(raf);
      stream?.getTracks().forEach((tr) => tr.stop());
      void ctx?.close();
    };
  }, [deviceId]);
  return (
    <div className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={level} data-level={level}>
      <div className="meter-fill" style={{ width: `${level}%` }} />
    </div>
  );
}

function testSpeaker() {
  const ctx = new AudioContext();
  const osc = ctx.createOscillator();
  osc.frequency.value = 660;
  osc.connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 0.8);
  osc.onended = () => void ctx.close();
}

function ServicePanel({
  t,
  language,
  onLanguage,
  token,
  idleTimeoutSec,
  onExit,
}: {
  t: ServiceStrings;
  language: Language;
  onLanguage: () => void;
  token: string;
  idleTimeoutSec: number;
  onExit: () => void;
}) {
  const [state, setState] = useState<ServiceState | null>(null);
  const [hw, setHw] = useState<HardwareChoice>({ faceCamera: null, documentCamera: null, microphone: null, readerPort: null });
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [note, setNote] = useState<string | null>(null);

  async function exit() {
    await call('serviceLock', { serviceToken: token }).catch(() => undefined);
    onExit();
  }
  useIdle(idleTimeoutSec, () => void exit());

  useEffect(() => {
    call('serviceState', { serviceToken: token }).then(
      (s) => {
        setState(s);
        setHw(s.hardware);
      },
      (e: unknown) => (e instanceof CoreError && e.error.code === 'forbidden' ? onExit() : setNote(t.callFailed)),
    );
    // Labels are visible only after a permission grant: ask once, then list.
    navigator.mediaDevices
      .getUserMedia({ video: true, audio: true })
      .then((s) => s.getTracks().forEach((tr) => tr.stop()))
      .catch(() => undefined)
      .finally(() => void navigator.mediaDevices.enumerateDevices().then(setDevices));
  }, [token]);

  // The chosen port in the screen's words (the driver's own name for it is technician English).
  const portName = (port: string) => {
    const p = state?.readerPorts.find((x) => x.port === port);
    return p ? readerPortLabel(t, p) : port;
  };
  const cams = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');
  const choice = (d: MediaDeviceInfo) => ({ deviceId: d.deviceId, label: d.label });

  async function save() {
    try {
      await call('serviceSaveHardware', { serviceToken: token, hardware: hw });
      setNote(t.saved);
    } catch (e) {
      if (e instanceof CoreError && e.error.code === 'forbidden') return onExit();
      setNote(t.callFailed);
    }
  }

  return (
    <main className="service" aria-labelledby="service-title">
      <header className="service-head">
        <h2 id="service-title">{t.title}</h2>
        {state && (
          <p>
            {state.boothCode} · {t.version} {state.version}
          </p>
        )}
        <button type="button" lang={language === 'zh-CN' ? 'en' : 'zh-CN'} onClick={onLanguage} data-testid="service-language">
          {t.otherLanguage}
        </button>
      </header>

      <SelfTest t={t} language={language} token={token} onForbidden={onExit} />

      <section aria-labelledby="cams-title">
        <h3 id="cams-title">{t.cameras}</h3>
        {cams.length === 0 && <p>{t.noCamera}</p>}
        <div className="service-cams">
          {cams.map((c, i) => (
            <figure key={c.deviceId} className="service-cam">
              <CameraPreview deviceId={c.deviceId} label={c.label || `camera ${i + 1}`} />
              <figcaption>{c.label || `camera ${i + 1}`}</figcaption>
              <div className="role-buttons">
                <button
                  type="button"
                  aria-pressed={hw.faceCamera?.deviceId === c.deviceId}
                  onClick={() => setHw({ ...hw, faceCamera: choice(c) })}
                >
                  {t.face}
                </button>
                <button
                  type="button"
                  aria-pressed={hw.documentCamera?.deviceId === c.deviceId}
                  onClick={() => setHw({ ...hw, documentCamera: choice(c) })}
                >
                  {t.document}
                </button>
              </div>
            </figure>
          ))}
        </div>
      </section>

      <section aria-labelledby="mic-title" className="service-row">
        <h3 id="mic-title">{t.microphone}</h3>
        <select
          aria-label={t.microphone}
          value={hw.microphone?.deviceId ?? ''}
          onChange={(e) => {
            const m = mics.find((d) => d.deviceId === e.target.value);
            setHw({ ...hw, microphone: m ? choice(m) : null });
          }}
        >
          <option value="">—</option>
          {mics.map((m) => (
            <option key={m.deviceId} value={m.deviceId}>
              {m.label || m.deviceId}
            </option>
          ))}
        </select>
        <MicLevel deviceId={hw.microphone?.deviceId ?? null} label={t.level} />
        <button type="button" onClick={testSpeaker}>
          {t.speakerTest}
        </button>
      </section>

      <section aria-labelledby="reader-title" className="service-row">
        <h3 id="reader-title">{t.reader}</h3>
        <select
          aria-label={t.readerPort}
          value={hw.readerPort ?? ''}
          onChange={(e) => setHw({ ...hw, readerPort: e.target.value || null })}
        >
          <option value="">{t.readerNone}</option>
          {(state?.readerPorts ?? []).map((p) => (
            <option key={p.port} value={p.port}>
              {readerPortLabel(t, p)}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!hw.readerPort}
          onClick={() =>
            void call('serviceTestReader', { serviceToken: token, port: hw.readerPort! }).then(
              (r) => setNote(t.readerTestResult[r.reason](portName(hw.readerPort!))),
              () => setNote(t.callFailed),
            )
          }
        >
          {t.readerTest}
        </button>
        <ReaderRead t={t} language={language} token={token} onForbidden={onExit} />
      </section>

      {state && <PrinterSettings t={t} token={token} initial={state.printer ?? null} onNote={setNote} onForbidden={onExit} />}

      <section aria-labelledby="net-title" className="service-row">
        <h3 id="net-title">{t.network}</h3>
        {state && (
          <p data-testid="service-network">
            {state.enrolled ? (state.intakeReachable ? t.reachable : t.unreachable) : t.notEnrolled}
            {state.intakeUrl ? ` (${state.intakeUrl})` : ''} · {t.queue(state.outbox.waiting, state.outbox.failed)}
          </p>
        )}
      </section>

      <section aria-labelledby="enrol-title" className="service-row">
        <h3 id="enrol-title">{t.enrolTitle}</h3>
        <QrEnrol t={t} token={token} documentCamera={hw.documentCamera?.deviceId ?? null} onNote={setNote} onForbidden={onExit} />
        <p>{t.enrolManual}</p>
        <form
          className="service-enrol"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const caPem = String(f.get('ca') ?? '').trim();
            void call('serviceEnrol', {
              serviceToken: token,
              code: String(f.get('code') ?? ''),
              intakeUrl: String(f.get('intake') ?? ''),
              ...(caPem ? { caPem } : {}),
            }).then(
              (r) =>
                setNote(
                  r.enrolled && r.booth
                    ? t.enrolOk(r.booth.boothCode, r.booth.village, r.booth.location)
                    : t.enrolRefused[r.reason ?? 'failed'],
                ),
              () => setNote(t.callFailed),
            );
          }}
        >
          <label>
            {t.enrolCode} <input name="code" required minLength={10} maxLength={20} autoComplete="off" />
          </label>
          <label>
            {t.enrolIntake} <input name="intake" type="url" required defaultValue={state?.intakeUrl ?? ''} key={state?.intakeUrl ?? ''} />
          </label>
          <label className="service-enrol-ca">
            {t.enrolCa} <textarea name="ca" rows={3} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" data-testid="enrol-ca" />
          </label>
          <label className="file-pick">
            {t.enrolCaPick}
            <input
              type="file"
              accept=".pem,.crt,.cer"
              onChange={(e) => {
                const file = e.target.files?.[0];
                const area = e.currentTarget.form?.elements.namedItem('ca') as HTMLTextAreaElement | null;
                if (file && area) void file.text().then((text) => (area.value = text));
              }}
            />
          </label>
          <button type="submit">{t.enrolDo}</button>
        </form>
      </section>

      {note && (
        <p role="status" className="service-note">
          {note}
        </p>
      )}
      <footer className="service-actions">
        <button type="button" className="big primary" onClick={() => void save()}>
          {t.save}
        </button>
        <button type="button" className="big" onClick={() => void exit()}>
          {t.exit}
        </button>
      </footer>
    </main>
  );
}
