// `booth logs export`: a bundle a technician can send to remote support. Logs are already redacted
// when written (lib/log.ts), but a bundle leaves the booth, so everything is scrubbed again here:
// ID-number and phone shapes, booth credentials and bearer tokens, and personal keys in JSON.
import { redact, scrubText } from '../../lib/redact.ts';
import { writeFileDurably } from '../../lib/durableFile.ts';
import { tarGz } from './tar.ts';

const TOKEN = /\bsb1\.[a-z0-9-]+\.[A-Za-z0-9_-]{20,}/g;
const SECRET_VALUE = /("?(?:authorization|pin|technicianPin|pinHash|secret|secretHash|credential|token)"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|bearer\s+[^\s",}]+|[^\s,}]+)/gi;

/** Scrubs one text for export. Order matters: tokens before the generic digit patterns. */
export function scrubForExport(text: string): string {
  return scrubText(text.replace(TOKEN, '[credential]').replace(SECRET_VALUE, '$1"[redacted]"'));
}

export interface BundleSources {
  /** Log text (journal or log files), any size; scrubbed line by line. */
  logs(): Promise<string>;
  /** Named JSON documents: doctor report, settings, mapping, queue summary, versions. */
  documents(): Promise<Record<string, unknown>>;
}

export async function buildSupportBundle(src: BundleSources, now: number): Promise<Buffer> {
  const [logs, docs] = await Promise.all([src.logs().catch((e: unknown) => `logs unavailable: ${String(e)}`), src.documents()]);
  const files = [{ name: 'booth/logs.txt', content: logs.split('\n').map(scrubForExport).join('\n') }];
  for (const [name, value] of Object.entries(docs)) {
    files.push({ name: `booth/${name}.json`, content: scrubForExport(JSON.stringify(redact(value), null, 2)) });
  }
  files.push({ name: 'booth/README.txt', content: `Support bundle made ${new Date(now).toISOString()}. Personal data and credentials are removed.\n` });
  return tarGz(files, now);
}

export async function writeSupportBundle(src: BundleSources, outPath: string, now: number): Promise<{ path: string; size: number }> {
  const bytes = await buildSupportBundle(src, now);
  const w = await writeFileDurably(outPath, bytes);
  return { path: w.path, size: w.size };
}
