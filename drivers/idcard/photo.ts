// The face photo on the card is WLT-compressed (IDCARD-PROTOCOL.md §5). Decoding it needs a
// licensed vendor library (WltRS.dll, libwlt2bmp.so, …), which cannot ship in this repository. So the
// photo stays raw bytes, a district that licenses a decoder plugs it in here, and without one the
// UI shows a neutral placeholder.
import { pathToFileURL } from 'node:url';
import type { WltPhoto } from './card.ts';

export const WLT_IMAGE = { width: 102, height: 126 } as const;

export interface DecodedPhoto {
  mime: 'image/bmp' | 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
}

/** What a licensed decoder module provides. */
export interface WltDecoder {
  readonly name: string;
  decode(wlt: Uint8Array): Promise<DecodedPhoto>;
}

/**
 * Loads a decoder from a module path (configuration `idcard.wltDecoderModule`). The module's default
 * export (or named export `createWltDecoder`) is a function returning a WltDecoder, typically a thin
 * wrapper around the vendor's native library.
 */
export async function loadWltDecoder(modulePath: string): Promise<WltDecoder> {
  const mod = (await import(pathToFileURL(modulePath).href)) as { default?: unknown; createWltDecoder?: unknown };
  const factory = (mod.createWltDecoder ?? mod.default) as (() => WltDecoder | Promise<WltDecoder>) | undefined;
  if (typeof factory !== 'function') throw new Error(`${modulePath} exports no createWltDecoder()`);
  const decoder = await factory();
  if (!decoder || typeof decoder.decode !== 'function') throw new Error(`${modulePath} did not return a WltDecoder`);
  return decoder;
}

/** A neutral head-and-shoulders outline, the size of a card photo. Not anyone's face. */
export const PLACEHOLDER_SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WLT_IMAGE.width}" height="${WLT_IMAGE.height}" viewBox="0 0 102 126">` +
  '<rect width="102" height="126" fill="#e8ecef"/><circle cx="51" cy="48" r="22" fill="#b8c2cc"/>' +
  '<path d="M12 126c0-26 17-40 39-40s39 14 39 40z" fill="#b8c2cc"/></svg>';

export function placeholderDataUrl(): string {
  return `data:image/svg+xml;base64,${Buffer.from(PLACEHOLDER_SVG).toString('base64')}`;
}

/** Decodes with the plug-in when there is one; otherwise (or on failure) null: show the placeholder. */
export async function photoOrPlaceholder(photo: WltPhoto, decoder: WltDecoder | null): Promise<DecodedPhoto | null> {
  if (!decoder || photo.bytes.length === 0) return null;
  try {
    return await decoder.decode(photo.bytes);
  } catch {
    return null;
  }
}
