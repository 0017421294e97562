// An invisible 80×80 px target in the top-right corner of the start screen. Five taps there within
// three seconds open the PIN pad (gesture.ts). It is not a button and has no label: a resident has
// no reason to find it, and one or two stray taps do nothing.
import { useRef } from 'react';
import { feedTap, GESTURE, type Tap } from './gesture.ts';

export function ServiceCorner({ onOpen }: { onOpen: () => void }) {
  const taps = useRef<Tap[]>([]);
  return (
    <div
      data-testid="service-corner"
      aria-hidden="true"
      style={{ position: 'fixed', top: 0, right: 0, width: GESTURE.cornerPx, height: GESTURE.cornerPx, zIndex: 10 }}
      onPointerDown={(e) => {
        const r = feedTap(taps.current, { x: e.clientX, y: e.clientY, t: e.timeStamp }, window.innerWidth);
        taps.current = r.taps;
        if (r.open) onOpen();
      }}
    />
  );
}
