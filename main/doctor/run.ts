// Runs the doctor's checks, one failing probe never hides the others, and formats the report
// for a person (text) or a machine (--json). Exit code: 0 all ok, 1 any fault, 0 with warnings
// (a warning is something to know, not a reason for a script to stop).
import type { CheckOutcome, DoctorCheck, DoctorProbes } from './checks.ts';

export interface CheckReport {
  id: string;
  title: string;
  outcome: CheckOutcome;
}

export interface DoctorReport {
  ok: boolean;
  checks: CheckReport[];
}

/** Probes may hang (a serial port that never answers): each check gets a deadline. */
export async function runDoctor(checks: readonly DoctorCheck[], probes: DoctorProbes, timeoutMs = 10_000): Promise<DoctorReport> {
  const results = await Promise.all(
    checks.map(async (c): Promise<CheckReport> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const outcome = await Promise.race([
          c.run(probes),
          new Promise<CheckOutcome>((resolve) => {
            timer = setTimeout(
              () =>
                resolve({
                  status: 'fault',
                  problem: `The ${c.title.toLowerCase()} check did not finish in ${timeoutMs / 1000} s.`,
                  fix: 'Run booth doctor again; if it hangs again, restart the booth and send booth logs export to support.',
                }),
              timeoutMs,
            );
          }),
        ]);
        return { id: c.id, title: c.title, outcome };
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        return {
          id: c.id,
          title: c.title,
          outcome: {
            status: 'fault',
            problem: `The ${c.title.toLowerCase()} check failed: ${msg}`,
            fix: 'Send booth logs export to support.',
          },
        };
      } finally {
        if (timer) clearTimeout(timer);
      }
    }),
  );
  return { ok: results.every((r) => r.outcome.status !== 'fault'), checks: results };
}

export function formatReport(r: DoctorReport): string {
  const lines: string[] = [];
  for (const c of r.checks) {
    const o = c.outcome;
    if (o.status === 'ok') lines.push(`  ok     ${c.title}: ${o.detail}`);
    else {
      lines.push(`  ${o.status === 'fault' ? 'FAULT' : 'warn '}  ${c.title}: ${o.problem}`);
      lines.push(`         → ${o.fix}`);
    }
  }
  const faults = r.checks.filter((c) => c.outcome.status === 'fault').length;
  const warns = r.checks.filter((c) => c.outcome.status === 'warn').length;
  lines.push('');
  lines.push(
    faults === 0
      ? `All ${r.checks.length} checks passed${warns ? ` (${warns} warning${warns > 1 ? 's' : ''})` : ''}.`
      : `${faults} fault${faults > 1 ? 's' : ''} found. Fix them in the order shown, then run booth doctor again.`,
  );
  return lines.join('\n');
}

export const doctorExitCode = (r: DoctorReport): number => (r.ok ? 0 : 1);
