// `booth queue`: the outbox for a technician. List with states and ages, make rows due now
// (including permanently refused ones, after the cause was fixed), and show a row's last error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openBoothDb, openBoothDbForReading } from '../../uploader/db.ts';
import { Outbox, type OutboxRow } from '../../uploader/outbox.ts';
import { loadConfig } from '../config.ts';
import { diskUsage } from '../../uploader/heartbeat.ts';
import { diskAlert } from '../../uploader/retention.ts';
import type { CliCommand } from './command.ts';
import { DATA_FOLDER_OPTION, technicianArgs } from './dataFolder.ts';

export function age(fromIso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (s < 90) return `${s}s`;
  if (s < 90 * 60) return `${Math.round(s / 60)}m`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

function stateLabel(r: OutboxRow): string {
  if (r.state === 'failed') return r.permanentError ? 'failed!' : 'retrying';
  return r.state;
}

export function formatQueue(rows: OutboxRow[], now: number): string[] {
  const lines = [
    `${'case'.padEnd(22)} ${'state'.padEnd(10)} ${'age'.padStart(5)} ${'tries'.padStart(5)} ${'next'.padStart(6)}  last error`,
  ];
  for (const r of rows) {
    const next =
      r.state === 'failed' && !r.permanentError && r.nextAttemptAt > now ? `${Math.ceil((r.nextAttemptAt - now) / 60_000)}m` : '';
    // The intake filed it under another number (a clash after a restore): technicians see both.
    const filed =
      r.intakeCaseNumber || r.intakeResidentNumber
        ? `filed by the intake as ${[r.intakeCaseNumber, r.intakeResidentNumber].filter(Boolean).join(' / ')}; `
        : '';
    const error = filed + (r.lastError ? r.lastError.replace(/\s+/g, ' ').slice(0, 60) : '');
    lines.push(
      `${r.caseNumber.padEnd(22)} ${stateLabel(r).padEnd(10)} ${age(r.savedAt, now).padStart(5)} ${String(r.attempts).padStart(5)} ${next.padStart(6)}  ${error}`,
    );
  }
  return lines;
}

export const queueCommand: CliCommand = {
  name: 'queue',
  summary: 'outbox: list states and ages; `retry <case|all>` sends now; `error <case>` shows the last error',
  usage: 'booth queue [list|retry <case|all>|error <case>] [--data DIR] [--all] [--json]',
  async run(args, io) {
    const a = technicianArgs('queue', args, io, { json: { type: 'boolean' }, all: { type: 'boolean' } }, true);
    if (!a) return 1;
    const { values, positionals, dataDir } = a;
    const config = loadConfig(dataDir);
    const [verb = 'list', target] = positionals;
    // Read-only unless asked to retry, and never created: a booth that never saved has no booth.db.
    const file = path.join(dataDir, 'booth.db');
    const db = verb === 'retry' ? (existsSync(file) ? openBoothDb(file) : null) : openBoothDbForReading(file);
    if (!db) {
      if (verb === 'list') io.out('no submissions on this booth yet (it has not saved one)');
      else io.err(`booth queue ${verb}: nothing to ${verb === 'error' ? 'show' : verb}: no submissions on this booth yet`);
      return verb === 'list' ? 0 : 1;
    }
    const outbox = new Outbox(db, config.timeZone);
    const now = Date.now();
    try {
      if (verb === 'list') {
        const rows = outbox.list(500).filter((r) => values.all || (r.state !== 'purged' && r.state !== 'delivered'));
        if (values.json) io.out(JSON.stringify(rows.map(({ personalSealed: _p, ...r }) => r)));
        else {
          for (const line of formatQueue(rows, now)) io.out(line);
          const s = outbox.summary();
          io.out(`${s.waiting} waiting (${s.failed} failed), ${s.delivered} delivered${values.all ? '' : '; --all shows delivered ones'}`);
          const alert = diskAlert(await diskUsage(dataDir), config.retention, config.minFreeBytes);
          if (alert) io.out(`ALERT: ${alert}`);
        }
        return 0;
      }
      if (verb === 'retry') {
        if (!target) {
          io.err('booth queue retry: name a case number, or "all"');
          return 2;
        }
        const rows =
          target === 'all'
            ? outbox.list(100_000).filter((r) => r.state === 'failed')
            : [outbox.byCaseNumber(target)].filter((r): r is OutboxRow => r !== null);
        if (rows.length === 0) {
          io.err(`booth queue retry: no such case ${target}`);
          return 1;
        }
        let n = 0;
        for (const r of rows) {
          if (r.state !== 'failed') {
            io.out(`${r.caseNumber}: ${r.state}, nothing to retry`);
            continue;
          }
          outbox.transition(r.id, { type: 'retryNow' }, { failures: 0 });
          n++;
        }
        io.out(`${n} submission(s) due now; a running booth sends them within its poll interval`);
        return 0;
      }
      if (verb === 'error') {
        const r = target ? outbox.byCaseNumber(target) : null;
        if (!r) {
          io.err(`booth queue error: no such case ${target ?? ''}`);
          return 1;
        }
        io.out(
          `${r.caseNumber} ${stateLabel(r)} after ${r.attempts} attempt(s)${r.permanentError ? ' (refused for good: fix the cause, then `booth queue retry`)' : ''}`,
        );
        io.out(r.lastError ?? 'no error recorded');
        return 0;
      }
      io.err(`booth queue: unknown action ${verb}`);
      return 2;
    } finally {
      db.close();
    }
  },
  options: [
    { flag: 'list', help: '(default) every submission still on the booth: state, age, attempts, next try, last error' },
    { flag: 'retry <case|all>', help: 'send one submission, or every failed one, now instead of at its next try' },
    { flag: 'error <case>', help: 'the last delivery error of one submission, in full' },
    { flag: '--all', help: 'also list delivered submissions (the receipt log)' },
    DATA_FOLDER_OPTION,
    { flag: '--json', help: 'JSON instead of the table' },
  ],
};
