// The page's sign of life for the booth core (main/kiosk/windowWatch.ts): a window whose page
// stops calling this (hung script, dead renderer, white screen) is relaunched by the core.
// Sent from a timer on the page's own main thread, so a page that is stuck stops sending it.
import { useEffect, useRef } from 'react';
import { KIOSK_ALIVE_EVERY_MS } from '../contract/kiosk.ts';
import { call } from './api.ts';

export function useKioskAlive(atStart: boolean): void {
  const latest = useRef(atStart);
  useEffect(() => {
    latest.current = atStart;
  }, [atStart]);
  useEffect(() => {
    // A failed ping is not the page's problem (the core restarting, say): the next one follows.
    const send = () => void call('kioskAlive', { atStart: latest.current }).catch(() => undefined);
    send();
    const timer = setInterval(send, KIOSK_ALIVE_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
}
