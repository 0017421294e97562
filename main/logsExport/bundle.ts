// `booth logs export`: a bundle a technician can send to remote support. Logs are already redacted
// when written (lib/log.ts), but a bundle leaves the booth and may hold lines from an older version or
// another program, so everything goes through the same redaction module again (lib/redact.ts): JSON
// keys of personal data and secrets by structure, ID numbers, phones, credentials and tokens by pattern.
import { redact, redactLine, redactLogText } from '../../lib/redact.ts';
import { writeFileDurably } from '../../lib/durableFile.ts';
import { tarGz } from './tar.ts';

/** Scrubs one line of text for export (the logger's own redaction, lib/redact.ts). */
export const scrubForExport = redactLine;

export interface LogSource {
  /** File name inside the bundle's booth/logs/ folder, e.g. "journal.txt" or "data-logs/booth.log". */
  name: string;
  text: string;
}

export interface BundleSources {
  /** Every place the booth's logs were found (journal, log files); each scrubbed line by line. */
  logs(): Promise<LogSource[]>;
  /** Named JSON documents: doctor report, settings, mapping, queue summary, versions. */
  documents(): Promise<Record<string, unknown>>;
}

export async function buildSupportBundle(src: BundleSources, now: number): Promise<Buffer> {
  const [logs, docs] = await Promise.all([
    src.logs().catch((e: unknown): LogSource[] => [{ name: 'unavailable.txt', text: `logs unavailable: ${String(e)}` }]),
    src.documents(),
  ]);
  const files = logs.map((l) => ({ name: `booth/logs/${l.name}`, content: redactLogText(l.text) }));
  if (files.length === 0) files.push({ name: 'booth/logs/none.txt', content: 'no logs found (no journal, no log files)\n' });
  for (const [name, value] of Object.entries(docs)) {
    files.push({ name: `booth/${name}.json`, content: redactLogText(JSON.stringify(redact(value), null, 2)) });
  }
  const sources = logs.map((l) => `  logs/${l.name}`).join('\n');
  files.push({
    name: 'booth/README.txt',
    content: `Support bundle made ${new Date(now).toISOString()}. Personal data and credentials are removed.\nLogs from:\n${sources || '  (none found)'}\n`,
  });
  return tarGz(files, now);
}

export async function writeSupportBundle(src: BundleSources, outPath: string, now: number): Promise<{ path: string; size: number }> {
  const bytes = await buildSupportBundle(src, now);
  const w = await writeFileDurably(outPath, bytes);
  return { path: w.path, size: w.size };
}
