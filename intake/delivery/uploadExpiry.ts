// INTAKE_UPLOAD_EXPIRY_DAYS for `npm run intake`: how many days a partial tus upload is kept before
// the expiry sweep deletes it (tusEndpoint.ts). Pure, so the rule is tested on a table of values.
// Whole days from 1 to 365: less than a day would make a booth that is offline overnight start its
// large items from zero; more than a year keeps abandoned partial files around for nothing.
import { err, ok, type Result } from '../../lib/result.ts';

export const DEFAULT_UPLOAD_EXPIRY_DAYS = 7;
export const MAX_UPLOAD_EXPIRY_DAYS = 365;

/** Unset or empty → the default; otherwise a whole number of days in 1…365, or a message saying why not. */
export function parseUploadExpiryDays(raw: string | undefined): Result<number, string> {
  const text = raw?.trim() ?? '';
  if (text === '') return ok(DEFAULT_UPLOAD_EXPIRY_DAYS);
  const days = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_UPLOAD_EXPIRY_DAYS) {
    return err(`INTAKE_UPLOAD_EXPIRY_DAYS must be a whole number of days from 1 to ${MAX_UPLOAD_EXPIRY_DAYS} (unset: ${DEFAULT_UPLOAD_EXPIRY_DAYS}); got ${JSON.stringify(raw)}`);
  }
  return ok(days);
}
