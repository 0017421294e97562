// The resident flow: owns the FlowStore (state machine + idle ticker), the session id, the media of
// the session, the speaker and the language, and picks the screen. Screens live in screens/.
import type { ComponentType } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { KioskConfig } from '../../contract/kiosk.ts';
import type { FlowApi } from './api.ts';
import { DEFAULT_SETTINGS } from './api.ts';
import type { FlowContextValue } from './context.tsx';
import { FlowContext, MediaStore } from './context.tsx';
import type { FlowConfig, FlowEvent, FlowState } from './machine.ts';
import { DEFAULT_FLOW_CONFIG, MIN_WARN_MS } from './machine.ts';
import { CaptureScreen } from './screens/Capture.tsx';
import { ConfirmDialog } from './screens/Confirm.tsx';
import { DetailsScreen } from './screens/Details.tsx';
import { IdentityScreen, RealnameScreen } from './screens/Identity.tsx';
import type { RealnameScreenProps } from './screens/Identity.tsx';
import { IdleWarning } from './screens/IdleWarning.tsx';
import { PhoneScreen } from './screens/Phone.tsx';
import { ReceiptScreen } from './screens/Receipt.tsx';
import { ReviewScreen } from './screens/Review.tsx';
import { StartScreen } from './screens/Start.tsx';
import { SubmittingScreen, SummaryScreen } from './screens/Summary.tsx';
import { receiptPrompts, Speaker } from './speaker.ts';
import type { DeviceHealth } from './devices.ts';
import { workingKinds } from './devices.ts';
import { probeDevices } from './media.ts';
import { watchForMotion } from './motion.ts';
import { screenPrompt, startPrompt } from './spoken.ts';
import { browserClock, FlowStore } from './store.ts';
import type { Clock } from './store.ts';
import type { Language } from '../../contract/kiosk.ts';
import { dictionaries } from '../i18n/index.ts';
import { applyPromptOverrides } from '../i18n/overrides.ts';
import './flow.css';

export function flowConfigOf(s: KioskConfig): FlowConfig {
  // Never shorter than 20 s (MIN_WARN_MS), whatever a config says, unless the whole timeout is.
  const warnMs = Math.min(Math.max(s.idleWarningSec * 1000, MIN_WARN_MS), s.idleTimeoutSec * 1000);
  return { ...DEFAULT_FLOW_CONFIG, idleMs: s.idleTimeoutSec * 1000, warnMs, maxPhotos: s.limits.photos };
}

export interface FlowAppProps {
  api: FlowApi;
  clock?: Clock;
  /** The ID-card screen (renderer/realname/, issue 5); null until it exists. */
  realname?: ComponentType<RealnameScreenProps> | null;
  /** A service-screen entry or other wiring may observe the flow. */
  onEvent?: (e: FlowEvent, s: FlowState) => void;
  /** Told each time the booth config is read (the App passes the idle timeout to the service screen). */
  onSettings?: (c: KioskConfig) => void;
}

/** How often an out-of-service kiosk asks the core whether it is back in service. */
export const OUT_OF_SERVICE_RECHECK_MS = 3_000;
/** On the start screen, settings (and whether a reader answers: real name) are looked at this often. */
export const START_RECHECK_MS = 30_000;

export function FlowApp({ api, clock = browserClock, realname = null, onEvent, onSettings }: FlowAppProps) {
  const store = useMemo(() => new FlowStore(clock), [clock]);
  // Callbacks from the App may be new functions on every render: read them through a ref.
  const callbacks = useRef({ onEvent, onSettings });
  callbacks.current = { onEvent, onSettings };
  const state = useSyncExternalStore(
    useCallback((l: () => void) => store.subscribe(l), [store]),
    () => store.get(),
  );
  const [settings, setSettings] = useState<KioskConfig>(DEFAULT_SETTINGS);
  const [lang, setLangState] = useState<Language>('zh-CN');
  const [submissionId, setSubmissionId] = useState<string | null>(null);
  const [health, setHealth] = useState<DeviceHealth | null>(null);
  // Looked at on every return to start: the start screen offers only what the devices allow.
  const probe = useCallback(() => void probeDevices().then(setHealth), []);
  const setDeviceWorks = useCallback(
    (device: 'camera' | 'microphone', works: boolean) => setHealth((h) => ({ camera: true, microphone: true, ...h, [device]: works })),
    [],
  );
  const speaker = useMemo(() => new Speaker(), []);
  const media = useMemo(() => new MediaStore(), []);
  const sessionIds = useRef(new Map<number, string>());
  const welcomed = useRef(false);
  // The ID-card screens speak for themselves; without them (or without a reader) the flow does.
  const realnameScreens = realname !== null && settings.resident.realnameAvailable;
  const sessionIdOf = useCallback((session: number) => {
    if (!sessionIds.current.has(session)) sessionIds.current.set(session, crypto.randomUUID());
    return sessionIds.current.get(session)!;
  }, []);
  const sessionId = sessionIdOf(state.session);

  const refreshSettings = useCallback(() => {
    api
      .settings()
      .then((s) => {
        setSettings(s);
        callbacks.current.onSettings?.(s);
        store.setConfig(flowConfigOf(s));
        speaker.setVolume(s.resident.promptVolume);
      })
      .catch(() => undefined); // keep the last known settings; the booth still works
  }, [api, store, speaker]);

  useEffect(() => {
    refreshSettings();
    probe();
    store.start();
    return () => store.stop();
  }, [store, refreshSettings, probe]);

  // Out of service (not enrolled, or refused): look again every few seconds, so a booth that a
  // technician has just provisioned returns to the start screen without a restart.
  useEffect(() => {
    if (!settings.outOfService) return;
    let handle: unknown;
    const tick = () => {
      refreshSettings();
      handle = clock.setTimeout(tick, OUT_OF_SERVICE_RECHECK_MS);
    };
    handle = clock.setTimeout(tick, OUT_OF_SERVICE_RECHECK_MS);
    return () => clock.clearTimeout(handle);
  }, [settings.outOfService, clock, refreshSettings]);

  // Waiting on the start screen: look again now and then, so an unplugged reader stops offering
  // real name (and a reader that answers again offers it) before the next resident chooses.
  const atStart = state.screen === 'start';
  useEffect(() => {
    if (!atStart) return;
    let handle: unknown;
    const tick = () => {
      refreshSettings();
      handle = clock.setTimeout(tick, START_RECHECK_MS);
    };
    handle = clock.setTimeout(tick, START_RECHECK_MS);
    return () => clock.clearTimeout(handle);
  }, [atStart, clock, refreshSettings]);

  // On every return to start: forget the session's media in memory and on disk, back to Chinese,
  // fresh settings (a technician may have changed them, the disk may have filled or emptied).
  useEffect(
    () =>
      store.subscribe((next, prev, event) => {
        callbacks.current.onEvent?.(event, next);
        const discard = (session: number) => {
          const old = sessionIds.current.get(session);
          sessionIds.current.delete(session);
          media.clear();
          if (old) void api.discardSession(old);
        };
        // Within a session: what left the list (deleted after 是, or replaced by a re-do's new
        // take) goes from the core and from memory.
        if (next.session === prev.session) {
          for (const it of prev.items) {
            if (!next.items.some((i) => i.id === it.id)) {
              void api.dropItem(sessionIdOf(prev.session), it.id);
              media.remove(it.id);
            }
          }
        }
        // The 回到刚才 offer ended without being taken: now the parked session goes, and the
        // language the resident chose with it.
        if (prev.undo && !next.undo && event.type !== 'UNDO') {
          discard(prev.undo.state.session);
          setLangState('zh-CN');
          speaker.setLang('zh-CN');
        }
        if (event.type === 'UNDO') {
          sessionIds.current.delete(prev.session); // the empty start session in between
          speaker.stop();
        } else if (next.session !== prev.session) {
          // A submitted session belongs to the outbox now, a parked one waits for 回到刚才: only
          // other unfinished ones are discarded.
          if (prev.screen === 'receipt') {
            sessionIds.current.delete(prev.session);
            media.clear();
          } else if (next.undo?.state.session !== prev.session) discard(prev.session);
          speaker.setMuted(false);
          if (next.resetReason === 'done') speaker.say('goodbye');
          else if (next.undo) speaker.say('undo_home');
          else speaker.stop();
          welcomed.current = false;
          // Back to Chinese for the next resident; after 回到首页 the same resident is probably
          // still there, so their language stays while 回到刚才 is offered.
          if (!next.undo) {
            setLangState('zh-CN');
            speaker.setLang('zh-CN');
          }
          refreshSettings();
          probe();
        }
        if (next.recording !== prev.recording && !next.recording) speaker.setMuted(false);
        if (next.screen !== prev.screen) {
          const id = screenPrompt(next, realnameScreens);
          if (id) speaker.say(id);
          if (next.screen === 'receipt' && next.caseNumber) speaker.say(...receiptPrompts(next.caseNumber, next.residentNumber));
        }
        if (next.confirm && !prev.confirm) speaker.say('confirm_discard');
        if (next.idleWarning && !prev.idleWarning) speaker.say(next.screen === 'receipt' ? 'receipt_idle' : 'idle_warning');
        // 继续 (or any touch) ends the warning: its sentence or number stops with it.
        if (prev.idleWarning && !next.idleWarning && next.screen === prev.screen && next.session === prev.session) speaker.stop();
      }),
    [store, api, media, speaker, realnameScreens, refreshSettings, sessionIdOf, probe],
  );

  const canRecord = workingKinds(health).length > 0;
  const setLang = useCallback(
    (l: Language) => {
      setLangState(l);
      speaker.setLang(l);
      store.dispatch({ type: 'TAP' });
      const now = store.get();
      const id = now.screen === 'start' ? startPrompt(settings, canRecord) : screenPrompt(now, realnameScreens);
      if (id) speaker.say(id);
    },
    [speaker, store, settings, realnameScreens, canRecord],
  );

  useEffect(() => {
    document.documentElement.lang = lang === 'zh-CN' ? 'zh-CN' : 'en';
  }, [lang]);

  const submit = useCallback(async () => {
    const s = store.get();
    if (s.screen !== 'summary') return;
    store.dispatch({ type: 'SUBMIT' });
    const r = await api.submit({
      sessionKey: sessionId,
      phone: s.phone,
      realnameRef: s.realnameRef,
      category: s.category,
      location: s.location,
      itemIds: s.items.map((i) => i.id),
    });
    if (r.ok) {
      setSubmissionId(r.value.submissionId);
      const { caseNumber, residentNumber, statusUrl } = r.value;
      store.dispatch({ type: 'SUBMIT_OK', caseNumber, residentNumber, statusUrl });
    } else store.dispatch({ type: 'SUBMIT_FAILED', error: r.error });
  }, [api, store, sessionId]);

  // The back office's text overrides (settings `prompts`), applied on every settings read.
  const prompts = settings.backOffice?.prompts;
  const words = useMemo(() => applyPromptOverrides(dictionaries[lang], lang, prompts ?? {}), [lang, prompts]);

  const ctx: FlowContextValue = {
    state,
    dispatch: (e) => store.dispatch(e),
    t: words,
    lang,
    setLang,
    settings,
    speaker,
    api,
    sessionId,
    media,
    clock,
    health,
    setDeviceWorks,
  };

  // Any touch counts as activity; the first one on the start screen says the welcome (or, when
  // the booth cannot record, why not: "touch a big button" with no buttons shown would mislead).
  const onPointerDown = () => {
    if (store.get().screen === 'start') {
      if (!welcomed.current) {
        welcomed.current = true;
        speaker.say(startPrompt(settings, canRecord));
      }
    } else store.dispatch({ type: 'TAP' });
  };

  // The attract cue (motion.ts): off unless the technician turned it on for this booth. While it
  // watches, the start screen says so to tests and to the service screen's inspection (data-attract).
  const welcomeOnMotion = settings.resident.welcomeOnMotion && health?.camera !== false;
  const [watching, setWatching] = useState(false);
  useEffect(() => {
    if (state.screen !== 'start' || !welcomeOnMotion) return;
    setWatching(true);
    const stop = watchForMotion(settings.hardware ?? {}, () => {
      setWatching(false);
      if (store.get().screen !== 'start' || welcomed.current) return;
      welcomed.current = true;
      speaker.say(startPrompt(settings, canRecord));
    });
    return () => {
      stop();
      setWatching(false);
    };
  }, [state.screen, state.session, welcomeOnMotion, settings, canRecord, store, speaker]);

  const config = store.getConfig();
  const idle = state.idleWarning ? <IdleWarning idleMs={config.idleMs} warnMs={config.warnMs} clock={clock} /> : null;
  return (
    <FlowContext.Provider value={ctx}>
      <div
        className="flow"
        data-screen={state.screen}
        data-session={state.session}
        data-attract={watching ? 'watching' : undefined}
        onPointerDown={onPointerDown}
      >
        {state.screen === 'start' && <StartScreen blocked={settings.storageLow} />}
        {state.screen === 'identity' && <IdentityScreen />}
        {state.screen === 'realname' && <RealnameScreen component={realname} />}
        {state.screen === 'phone' && <PhoneScreen key={state.session} />}
        {state.screen === 'capture' && <CaptureScreen />}
        {state.screen === 'review' && <ReviewScreen />}
        {state.screen === 'details' && <DetailsScreen />}
        {state.screen === 'summary' && <SummaryScreen onSubmit={() => void submit()} />}
        {state.screen === 'submitting' && <SubmittingScreen />}
        {state.screen === 'receipt' && (
          <ReceiptScreen qrText={state.statusUrl ?? state.caseNumber ?? ''} submissionId={submissionId} idle={idle} />
        )}
        {state.confirm && <ConfirmDialog />}
        {state.screen !== 'receipt' && idle}
      </div>
    </FlowContext.Provider>
  );
}
