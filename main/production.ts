// Whether this is a booth in production: no devtools or menus in the Electron shell
// (main/electron/policy.ts), the nightly restart by exit in main/start.ts (main/startEnv.ts).
// Pure, and here rather than in main/electron/ because plain-Node code asks it too.

/**
 * Production means packaged, or explicitly asked for; devtools and menus only outside it. The
 * systemd units' kiosk-session sets BOOTH_PRODUCTION=1 (a dedicated switch rather than NODE_ENV,
 * which also changes how libraries behave); NODE_ENV=production is honoured too. BOOTH_KIOSK_DEV=1
 * (a test bench, set by hand) wins over both.
 */
export function isProduction(p: { isPackaged: boolean; env: Record<string, string | undefined> }): boolean {
  if (p.env.BOOTH_KIOSK_DEV === '1') return false;
  return p.isPackaged || p.env.BOOTH_PRODUCTION === '1' || p.env.NODE_ENV === 'production';
}
