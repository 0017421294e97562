// The kiosk: the resident flow (renderer/flow/) on the booth core, with the ID-card screens
// (renderer/realname/) in its real-name slot, and the technician's service screen behind the
// hidden corner gesture (renderer/service/, reachable only from the start screen).
import { useMemo, useState } from 'react';
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
  // The service screen counts as in use: no nightly restart under a technician's hands.
  useKioskAlive(atStart && !service);
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
