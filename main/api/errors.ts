import type { ErrorCode } from '../../contract/kiosk.ts';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  session_closed: 409,
  media_empty: 422,
  media_unreadable: 422,
  media_too_large: 413,
  too_many_items: 422,
  no_items: 422,
  disk_full: 507,
  realname_expired: 409,
  printer_unavailable: 503,
  internal: 500,
};

/** An error a handler throws on purpose; the route helper turns it into the envelope. */
export class BoothError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BoothError';
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const statusOf = (code: ErrorCode): number => STATUS[code];
