// Whole numbers from environment variables (ports, hours, days) for the start scripts. A typo in a
// booth's or a back office's environment must stop the start with a sentence naming the variable,
// not run with NaN (Number('6h') is NaN, and every comparison with NaN is false).
import { err, ok, type Result } from './result.ts';

export interface WholeNumberRule {
  min: number;
  max: number;
  /** Used when the variable is unset or empty. */
  fallback: number;
  /** What the number counts, for the message ("days", "hours"); omitted for plain numbers. */
  unit?: string;
}

/** Unset or empty → the fallback; otherwise a whole number in min…max, or a message saying why not. */
export function parseWholeNumber(name: string, raw: string | undefined, rule: WholeNumberRule): Result<number, string> {
  const text = raw?.trim() ?? '';
  if (text === '') return ok(rule.fallback);
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < rule.min || n > rule.max) {
    const what = rule.unit ? `a whole number of ${rule.unit}` : 'a whole number';
    return err(`${name} must be ${what} from ${rule.min} to ${rule.max} (unset: ${rule.fallback}); got ${JSON.stringify(raw)}`);
  }
  return ok(n);
}
