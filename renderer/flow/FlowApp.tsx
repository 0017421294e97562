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
import { DEFAULT_FLOW_CONFIG } from './machine.ts';
import { CaptureScreen } from './screens/Capture.tsx';
import { DetailsScreen } from './screens/Details.tsx';
import { IdentityScreen, RealnameScreen } from './screens/Identity.tsx';
import type { RealnameScreenProps } from './screens/Identity.tsx';
import { IdleWarning } from './screens/IdleWarning.tsx';
import { PhoneScreen } from './screens/Phone.tsx';
import { ReceiptScreen } from './screens/Receipt.tsx';
import { ReviewScreen } from './screens/Review.tsx';
import { StartScreen } from './screens/Start.tsx';
import { SubmittingScreen, SummaryScreen } from './screens/Summary.tsx';
import { digitPrompts, Speaker } from './speaker.ts';
import { screenPrompt, startPrompt } from './spoken.ts';
import { browserClock, FlowStore } from './store.ts';
import type { Clock } from './store.ts';
import type { Language } from '../../contract/kiosk.ts';
import { dictionaries } from '../i18n/index.ts';
import { applyPromptOverrides } from '../i18n/overrides.ts';
import './flow.css';

export function flowConfigOf(s: KioskConfig): FlowConfig {
  return { ...DEFAULT_FLOW_CONFIG, idleMs: s.idleTimeoutSec * 1000, warnMs: Math.min(s.idleWarningSec, s.idleTimeoutSec) * 1000, maxPhotos: s.limits.photos };
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
  const speaker = useMemo(() => new Speaker(), []);
  const media = useMemo(() => new MediaStore(), []);
  const sessionIds = useRef(new Map<number, string>());
  const welcomed = useRef(false);
  // The ID-card screens speak for themselves; without them (or without a reader) the flow does.
  const realnameScreens = realname !== null && settings.resident.realnameAvailable;
  if (!sessionIds.current.has(state.session)) sessionIds.current.set(state.session, crypto.randomUUID());
  const sessionId = sessionIds.current.get(state.session)!;

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
    store.start();
    return () => store.stop();
  }, [store, refreshSettings]);

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

  // On every return to start: forget the session's media in memory and on disk, back to Chinese,
  // fresh settings (a technician may have changed them, the disk may have filled or emptied).
  useEffect(
    () =>
      store.subscribe((next, prev, event) => {
        callbacks.current.onEvent?.(event, next);
        if (next.session !== prev.session) {
          const old = sessionIds.current.get(prev.session);
          sessionIds.current.delete(prev.session);
          media.clear();
          // A submitted session belongs to the outbox now: only unfinished ones are discarded.
          if (old && prev.screen !== 'receipt') void api.discardSession(old);
          speaker.setMuted(false);
          if (next.resetReason === 'done') speaker.say('goodbye');
          else speaker.stop();
          welcomed.current = false;
          setLangState('zh-CN');
          speaker.setLang('zh-CN');
          refreshSettings();
        }
        if (next.recording !== prev.recording && !next.recording) speaker.setMuted(false);
        if (next.screen !== prev.screen) {
          const id = screenPrompt(next, realnameScreens);
          if (id) speaker.say(id);
          if (next.screen === 'receipt' && next.caseNumber) speaker.say('receipt', 'receipt_number', ...digitPrompts(next.caseNumber));
        }
        if (next.idleWarning && !prev.idleWarning) speaker.say('idle_warning');
        // 继续 (or any touch) ends the warning: its sentence or number stops with it.
        if (prev.idleWarning && !next.idleWarning && next.screen === prev.screen && next.session === prev.session) speaker.stop();
      }),
    [store, api, media, speaker, realnameScreens, refreshSettings],
  );

  const setLang = useCallback(
    (l: Language) => {
      setLangState(l);
      speaker.setLang(l);
      store.dispatch({ type: 'TAP' });
      const now = store.get();
      const id = now.screen === 'start' ? startPrompt(settings) : screenPrompt(now, realnameScreens);
      if (id) speaker.say(id);
    },
    [speaker, store, settings, realnameScreens],
  );

  useEffect(() => {
    document.documentElement.lang = lang === 'zh-CN' ? 'zh-CN' : 'en';
  }, [lang]);

  const submit = useCallback(async () => {
    const s = store.get();
    if (s.screen !== 'summary') return;
    store.dispatch({ type: 'SUBMIT' });
    const r = await api.submit({ sessionKey: sessionId, phone: s.phone, realnameRef: s.realnameRef, category: s.category, location: s.location });
    if (r.ok) {
      setSubmissionId(r.value.submissionId);
      store.dispatch({ type: 'SUBMIT_OK', caseNumber: r.value.caseNumber });
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
  };

  // Any touch counts as activity; the first one on the start screen says the welcome (or, when
  // the booth cannot record, why not: "touch a big button" with no buttons shown would mislead).
  const onPointerDown = () => {
    if (store.get().screen === 'start') {
      if (!welcomed.current) {
        welcomed.current = true;
        speaker.say(startPrompt(settings));
      }
    } else store.dispatch({ type: 'TAP' });
  };

  const config = store.getConfig();
  return (
    <FlowContext.Provider value={ctx}>
      <div className="flow" data-screen={state.screen} data-session={state.session} onPointerDown={onPointerDown}>
        {state.screen === 'start' && <StartScreen blocked={settings.storageLow} />}
        {state.screen === 'identity' && <IdentityScreen />}
        {state.screen === 'realname' && <RealnameScreen component={realname} />}
        {state.screen === 'phone' && <PhoneScreen key={state.session} />}
        {state.screen === 'capture' && <CaptureScreen />}
        {state.screen === 'review' && <ReviewScreen />}
        {state.screen === 'details' && <DetailsScreen />}
        {state.screen === 'summary' && <SummaryScreen onSubmit={() => void submit()} />}
        {state.screen === 'submitting' && <SubmittingScreen />}
        {state.screen === 'receipt' && <ReceiptScreen qrText={state.caseNumber ?? ''} submissionId={submissionId} />}
        {state.idleWarning && <IdleWarning idleMs={config.idleMs} warnMs={config.warnMs} clock={clock} />}
      </div>
    </FlowContext.Provider>
  );
}
