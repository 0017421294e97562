// File extensions come from the media type the program itself recorded, never from a client's file name.
const EXT: Record<string, string> = {
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
  'video/mp4': 'mp4',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** 'video/webm;codecs=vp8,opus' → 'webm'; unknown types → 'bin'. */
export function extensionFor(mime: string): string {
  const base = mime.split(';')[0]!.trim().toLowerCase();
  return EXT[base] ?? 'bin';
}
