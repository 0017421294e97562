import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isAllowedPermission } from '../../../main/electron/policy.ts';

const APP = 'http://127.0.0.1:4100';

describe('Electron lockdown policy', () => {
  it.each([
    ['http://127.0.0.1:4100/#token=x', true],
    ['http://127.0.0.1:4100/anything', true],
    ['http://127.0.0.1:4101/', false],
    ['http://localhost:4100/', false],
    ['https://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('navigate to %s → %s', (url, allowed) => expect(isAllowedNavigation(url, APP)).toBe(allowed));

  it.each([
    ['media', `${APP}/`, ['video', 'audio'], true],
    ['media', `${APP}/`, ['video'], true],
    ['media', 'https://evil.example/', ['video'], false],
    ['geolocation', `${APP}/`, undefined, false],
    ['notifications', `${APP}/`, undefined, false],
    ['clipboard-read', `${APP}/`, undefined, false],
    ['openExternal', `${APP}/`, undefined, false],
  ])('%s from %s %o → %s', (perm, url, media, allowed) => expect(isAllowedPermission(perm, url, APP, media)).toBe(allowed));
});
