// Pure lockdown decisions for the Electron shell (tested without Electron).

/** Only the booth's own origin may be shown; everything else (links, redirects, file:) is refused. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  try {
    return new URL(url).origin === appOrigin;
  } catch {
    return false;
  }
}

/** Camera and microphone for the booth's own origin; every other permission is denied. */
export function isAllowedPermission(permission: string, requestingUrl: string, appOrigin: string, mediaTypes?: string[]): boolean {
  if (!isAllowedNavigation(requestingUrl, appOrigin)) return false;
  if (permission !== 'media') return false;
  return (mediaTypes ?? ['video', 'audio']).every((t) => t === 'video' || t === 'audio');
}
