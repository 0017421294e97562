// The staff app's HTTP client: same origin, session cookie, CSRF token on every change.
let csrf = '';
export function setCsrf(token: string): void {
  csrf = token;
}

export class ApiError extends Error {
  /** `reason`: the server's machine-readable reason (error.reason), else its code; the app shows it through i18n (err_*). */
  constructor(readonly status: number, readonly code: string, message: string, readonly reason: string = code) {
    super(message);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const data = (await r.json().catch(() => ({}))) as { error?: { code: string; message: string; reason?: string } };
  if (!r.ok) throw new ApiError(r.status, data.error?.code ?? 'internal', data.error?.message ?? String(r.status), data.error?.reason ?? data.error?.code ?? 'internal');
  return data as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body: unknown) => api<T>('POST', url, body);

export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export interface Me {
  user: { id: string; username: string; displayName: string; role: string; unitIds: string[] };
  csrf: string;
  permissions: string[];
}

export interface Meta {
  statuses: { id: string; zh: string; en: string }[];
  units: { id: string; name: string; active: boolean }[];
  categories: { code: string; name: string; short: string; shortEn: string }[];
  territories: string[];
  booths: string[];
  settings: { listCutoff: string; meetingTime: string; timeZone: string };
}
