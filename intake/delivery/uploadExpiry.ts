// INTAKE_UPLOAD_EXPIRY_DAYS for `npm run intake`: how many days a partial tus upload is kept before
// the expiry sweep deletes it (tusEndpoint.ts). Pure, so the rule is tested on a table of values.
// Whole days from 1 to 365: less than a day would make a booth that is offline overnight start its
// large items from zero; more than a year keeps abandoned partial files around for nothing.
import { parseWholeNumber } from '../../lib/envNumber.ts';
import type { Result } from '../../lib/result.ts';

export const DEFAULT_UPLOAD_EXPIRY_DAYS = 7;
export const MAX_UPLOAD_EXPIRY_DAYS = 365;

/** Unset or empty → the default; otherwise a whole number of days in 1…365, or a message saying why not. */
export function parseUploadExpiryDays(raw: string | undefined): Result<number, string> {
  return parseWholeNumber('INTAKE_UPLOAD_EXPIRY_DAYS', raw, {
    min: 1,
    max: MAX_UPLOAD_EXPIRY_DAYS,
    fallback: DEFAULT_UPLOAD_EXPIRY_DAYS,
    unit: 'days',
  });
}
