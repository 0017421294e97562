// The kiosk: the resident flow (renderer/flow/) on the booth core, with the ID-card screens
// (renderer/realname/) in its real-name slot, and the technician's service screen behind the
// hidden corner gesture (renderer/service/, reachable only from the start screen).
import { useEffect, useMemo, useState } from 'react';
import { onTokenRefused, renewToken } from './api.ts';
import { dictionaries } from './i18n/index.ts';
import { createCoreFlowApi } from './flow/coreApi.ts';
import { FlowApp } from './flow/FlowApp.tsx';
import { useKioskAlive } from './kioskAlive.ts';
import { RealnameFlow } from './realname/RealnameFlow.tsx';
import { ServiceCorner } from './service/ServiceCorner.tsx';
import { ServiceScreen } from './service/ServiceScreen.tsx';

export function App() {
  const api = useMemo(() => createCoreFlowApi(), []);
  const [service, setService] = useState<{ idleTimeoutSec: number } | null>(null);
  const [atStart, setAtStart] = useState(true);
  const [idleTimeoutSec, setIdle] = useState(90);
  // The core refused the page's token and it could not be renewed: out of service (no resident
  // walks into a dead end), trying again every few seconds; the supervisor relaunches its window.
  const refused = useTokenRefused();
  // The service screen counts as in use: no nightly restart under a technician's hands.
  useKioskAlive(atStart && !service);
  if (refused) {
    const t = dictionaries['zh-CN'];
    return (
      <div className="flow" data-screen="refused">
        <main className="screen screen-start">
          <div className="out-of-service" data-testid="out-of-service" role="status">
            <h1 className="start-title">{t.outOfServiceTitle}</h1>
            <p className="lead">{t.outOfServiceLine}</p>
          </div>
        </main>
      </div>
    );
  }
  if (service) {
    // Leaving remounts the flow, which reads the config again: a new device mapping applies at once.
    return (
      <ServiceScreen
        language="zh-CN"
        idleTimeoutSec={service.idleTimeoutSec}
        onExit={() => {
          setService(null);
          setAtStart(true);
        }}
      />
    );
  }
  return (
    <>
      <FlowApp
        api={api}
        realname={RealnameFlow}
        onEvent={(_e, s) => setAtStart(s.screen === 'start')}
        onSettings={(c) => setIdle(c.idleTimeoutSec)}
      />
      {atStart && <ServiceCorner onOpen={() => setService({ idleTimeoutSec })} />}
    </>
  );
}

/** How often a refused page asks again for the current token. */
const RENEW_EVERY_MS = 5_000;

/** True while the core refuses the page's token; once renewed the page reloads onto a fresh start screen. */
function useTokenRefused(): boolean {
  const [refused, setRefused] = useState(false);
  useEffect(() => onTokenRefused(setRefused), []);
  useEffect(() => {
    if (!refused) return;
    const timer = setInterval(() => {
      void renewToken().then((ok) => {
        if (ok) location.reload(); // the renewed token is in sessionStorage; the flow starts clean
      });
    }, RENEW_EVERY_MS);
    return () => clearInterval(timer);
  }, [refused]);
  return refused;
}
