// The kiosk shell's lockdown decisions as pure functions (Electron security checklist items 4-14),
// so they are tested without an Electron binary. shell code (main/electron/*.ts that import
// electron) only wires these into session/webContents handlers. No electron import here.

/** Origin of a URL, or null for anything unparsable or opaque (data:, about:blank, file:). */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** Compare parsed origins, never string prefixes (http://127.0.0.1:8080.evil.example starts with the app URL). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const o = originOf(url);
  return o !== null && o === originOf(appOrigin);
}

/** will-navigate / will-redirect: only within the app's own origin. */
export function allowNavigation(targetUrl: string, appOrigin: string): boolean {
  return isAppUrl(targetUrl, appOrigin);
}

/** setWindowOpenHandler: a kiosk never opens windows. */
export const windowOpenDecision = { action: 'deny' } as const;

export interface PermissionAsk {
  permission: string;
  /** URL of the frame asking (details.requestingUrl or webContents URL). */
  requestingUrl: string;
  /** For 'media': which kinds; Electron sends ['video'], ['audio'] or both (may be empty/unknown). */
  mediaTypes?: readonly string[];
  /** Whether the request comes from the main frame (sub-frames never get devices). */
  isMainFrame?: boolean;
}

/**
 * Electron approves every permission by default (checklist item 5). Deny everything except
 * camera/microphone ('media' with video/audio only) for the app's origin from its main frame.
 * Screen capture, geolocation, notifications, clipboard, MIDI, HID/serial from the page: all denied
 * (the ID reader is driven by the core, never by the page).
 */
export function allowPermission(ask: PermissionAsk, appOrigin: string): boolean {
  if (ask.isMainFrame === false) return false;
  if (!isAppUrl(ask.requestingUrl, appOrigin)) return false;
  if (ask.permission !== 'media') return false;
  const types = ask.mediaTypes ?? [];
  return types.every((t) => t === 'video' || t === 'audio');
}

/** Content-Security-Policy for the app's pages (also sent as a header by the core). */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style attributes; no inline <style> injection of scripts is possible through this.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}

/** Adds the CSP to a response's headers unless the response already carries one. */
export function withCsp(headers: Record<string, string[] | string>): Record<string, string[] | string> {
  const has = Object.keys(headers).some((k) => k.toLowerCase() === 'content-security-policy');
  return has ? headers : { ...headers, 'Content-Security-Policy': [contentSecurityPolicy()] };
}

/** BrowserWindow webPreferences: the locked-down set, nothing left to defaults that could change. */
export function secureWebPreferences(preload?: string) {
  return {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: false as boolean,
    ...(preload ? { preload } : {}),
  };
}

export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  alt: boolean;
  meta: boolean;
  shift: boolean;
}

/**
 * before-input-event: keys a passer-by with a USB keyboard could use to leave or break the kiosk.
 * Plain typing (a keyboard-wedge ID reader types digits and Enter) stays allowed.
 */
export function isBlockedKey(k: KeyInput): boolean {
  const key = k.key.length === 1 ? k.key.toLowerCase() : k.key;
  if (/^F([1-9]|1[0-2])$/.test(key)) return true; // F5 reload, F11 fullscreen, F12 devtools, F7 caret browsing...
  if (k.meta) return true; // Super/Windows key combinations
  if (k.alt && (key === 'F4' || key === 'Tab' || key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home')) return true;
  if (k.alt && k.key.length === 1) return true; // Alt+letter opens menus in some setups
  if (k.control) {
    // Ctrl+anything except plain copy/paste/select in a text field.
    return !['a', 'c', 'v', 'x', 'z'].includes(key) || k.shift;
  }
  return false;
}

// Production or not is also start.ts's question (plain Node, which may not import from here).
export { isProduction } from '../production.ts';

// The skeleton's names for the two core decisions (main/electron/main.ts uses them).
export const isAllowedNavigation = allowNavigation;
export function isAllowedPermission(permission: string, requestingUrl: string, appOrigin: string, mediaTypes?: string[]): boolean {
  return allowPermission({ permission, requestingUrl, mediaTypes }, appOrigin);
}
