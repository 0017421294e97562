// The hidden gesture that asks for the technician PIN: five taps in the top-right corner within
// three seconds (as OneRoom Health's kiosk does). A resident pressing buttons never lands there:
// the corner is outside every button and needs five deliberate taps. Pure, so it is unit-tested.

export interface Tap {
  x: number;
  y: number;
  t: number;
}

export const GESTURE = { taps: 5, withinMs: 3000, cornerPx: 80 } as const;

export function inCorner(tap: Tap, width: number): boolean {
  return tap.x >= width - GESTURE.cornerPx && tap.y <= GESTURE.cornerPx;
}

/** Feeds one tap; returns the taps to remember and whether the gesture is complete. */
export function feedTap(previous: readonly Tap[], tap: Tap, width: number): { taps: Tap[]; open: boolean } {
  if (!inCorner(tap, width)) return { taps: [], open: false };
  const taps = [...previous, tap].filter((p) => tap.t - p.t <= GESTURE.withinMs);
  if (taps.length >= GESTURE.taps) return { taps: [], open: true };
  return { taps, open: false };
}
