// What a staff attachment really is, from its first bytes (magic numbers), never from the type or
// file name the browser declared: JPEG, PNG, WebP photos and PDF documents; anything else is
// refused (`file_type`). The stored object's extension and the Content-Type it is served with come
// from here, so a file is always served as what it is.

export interface SniffedType {
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  ext: '.jpg' | '.png' | '.webp' | '.pdf';
  kind: 'photo' | 'document';
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** The type of a file from its content, or null when it is none of the accepted ones. */
export function sniffFileType(b: Uint8Array): SniffedType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: '.jpg', kind: 'photo' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: '.png', kind: 'photo' };
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return { mime: 'image/webp', ext: '.webp', kind: 'photo' };
  if (startsWith(b, ascii('%PDF-'))) return { mime: 'application/pdf', ext: '.pdf', kind: 'document' };
  return null;
}
