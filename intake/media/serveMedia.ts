// Sends a media object to the staff player: the whole object, or the one byte range a browser's
// <video>/<audio> asks for (Range: bytes=a-b, a-, -n) as 206 with Content-Range, so the player can
// seek without fetching the whole file. A folder store goes through @fastify/static's sendFile
// (which does the same, with ETag and Last-Modified); an object store through ranged GETs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import path from 'node:path';
import { FolderMediaStore, type MediaStore } from './mediaStore.ts';

const TYPES: Record<string, string> = {
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.mkv': 'video/x-matroska',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
};

/** One range of `size` bytes from a Range header; null for the whole object; 'unsatisfiable' for 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // several ranges or another unit: send it all
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export async function sendMedia(request: FastifyRequest, reply: FastifyReply, media: MediaStore, key: string): Promise<FastifyReply> {
  if (media instanceof FolderMediaStore) return reply.sendFile(key, media.root, { contentType: true });
  const size = await media.size(key);
  if (size === null) return reply.code(404).send({ error: { code: 'not_found', message: 'no such media' } });
  const range = parseRange(request.headers.range, size);
  reply.header('accept-ranges', 'bytes').header('content-type', TYPES[path.extname(key).toLowerCase()] ?? 'application/octet-stream');
  if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
  const r = await media.read(key, range ?? undefined);
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
  return reply.header('content-length', String(range ? range.end - range.start + 1 : size)).send(r.body);
}
