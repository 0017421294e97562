// The kiosk's screens. Skeleton flow: start → record video → review → saving → receipt → start.
import { useEffect, useState } from 'react';
import type { KioskConfig, Language, Receipt } from '../main/contract.ts';
import { call, CoreError } from './api.ts';
import { dictionaries, errorText } from './i18n/index.ts';
import { StartScreen } from './screens/StartScreen.tsx';
import { RecordScreen } from './screens/RecordScreen.tsx';
import { ReviewScreen } from './screens/ReviewScreen.tsx';
import { ReceiptScreen } from './screens/ReceiptScreen.tsx';
import { MessageScreen } from './screens/MessageScreen.tsx';
import { ServiceCorner } from './service/ServiceCorner.tsx';
import { ServiceScreen } from './service/ServiceScreen.tsx';

type Screen =
  | { name: 'start' }
  | { name: 'record'; sessionId: string }
  | { name: 'review'; sessionId: string; recording: Blob }
  | { name: 'saving' }
  | { name: 'receipt'; receipt: Receipt }
  | { name: 'error'; message: string; sessionId: string | null }
  | { name: 'service' };

export function App() {
  const [config, setConfig] = useState<KioskConfig | null>(null);
  const [language, setLanguage] = useState<Language>('zh-CN');
  const [screen, setScreen] = useState<Screen>({ name: 'start' });
  const t = dictionaries[language];

  useEffect(() => {
    call('config', {}).then((c) => {
      setConfig(c);
      setLanguage(c.language);
    }, () => setScreen({ name: 'error', message: t.errors.other, sessionId: null }));
  }, []);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  async function startVideo() {
    const s = await call('startSession', { language });
    setScreen({ name: 'record', sessionId: s.sessionId });
  }

  async function discard(sessionId: string) {
    await call('discardSession', { sessionId }).catch(() => undefined);
    setScreen({ name: 'start' });
  }

  async function upload(sessionId: string, recording: Blob) {
    setScreen({ name: 'saving' });
    try {
      await call('addItem', { sessionId, kind: 'video', mime: recording.type || 'video/webm', camera: 'face' }, recording);
      const receipt = await call('submit', { sessionId, phone: null, category: null, location: null });
      setScreen({ name: 'receipt', receipt });
    } catch (e) {
      const code = e instanceof CoreError ? e.error.code : 'other';
      setScreen({ name: 'error', message: errorText(t, code), sessionId });
    }
  }

  if (!config) return <main className="screen" aria-busy="true" />;

  switch (screen.name) {
    case 'start':
      return (
        <>
          <StartScreen t={t} onVideo={() => void startVideo()} onToggleLanguage={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')} />
          <ServiceCorner onOpen={() => setScreen({ name: 'service' })} />
        </>
      );
    case 'service':
      return (
        <ServiceScreen
          language={language}
          idleTimeoutSec={config.idleTimeoutSec}
          onExit={() => {
            // The mapping may have changed: the next recording must use it, so reload the config first.
            void call('config', {})
              .then(setConfig, () => undefined)
              .finally(() => setScreen({ name: 'start' }));
          }}
        />
      );
    case 'record':
      return (
        <RecordScreen
          t={t}
          limitSec={config.limits.videoSec}
          videoDeviceId={config.hardware?.faceCamera?.deviceId ?? null}
          audioDeviceId={config.hardware?.microphone?.deviceId ?? null}
          onDone={(recording) => setScreen({ name: 'review', sessionId: screen.sessionId, recording })}
          onCancel={() => void discard(screen.sessionId)}
          onUnavailable={() => setScreen({ name: 'error', message: t.cameraUnavailable, sessionId: screen.sessionId })}
        />
      );
    case 'review':
      return (
        <ReviewScreen
          t={t}
          recording={screen.recording}
          onRedo={() => setScreen({ name: 'record', sessionId: screen.sessionId })}
          onUpload={() => void upload(screen.sessionId, screen.recording)}
        />
      );
    case 'saving':
      return <MessageScreen title={t.saving} busy />;
    case 'receipt':
      return <ReceiptScreen t={t} receipt={screen.receipt} onDone={() => setScreen({ name: 'start' })} />;
    case 'error':
      return (
        <MessageScreen title={t.errorTitle} text={screen.message}>
          {screen.sessionId && (
            <button type="button" className="big primary" onClick={() => setScreen({ name: 'record', sessionId: screen.sessionId! })}>
              {t.tryAgain}
            </button>
          )}
          <button type="button" className="big" onClick={() => (screen.sessionId ? void discard(screen.sessionId) : setScreen({ name: 'start' }))}>
            {t.backHome}
          </button>
        </MessageScreen>
      );
  }
}
