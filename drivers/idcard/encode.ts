// The inverse of decode.ts: a typed card → the 256-byte text block. Used by the simulator and tests
// (a real reader never needs to encode), so it lives apart from the decoder.
import type { IdCard } from './card.ts';
import { genderToCode, NATIONS } from './codes.ts';
import { APPENDED_ADDRESS_BYTES, TEXT_BLOCK_BYTES, TYPE_FLAG_OFFSET } from './decode.ts';

function put(block: Uint8Array, offset: number, bytes: number, value: string): void {
  for (let i = 0; i < bytes; i += 2) {
    block[offset + i] = 0x20;
    block[offset + i + 1] = 0;
  }
  const chars = value.slice(0, bytes / 2);
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    block[offset + i * 2] = c & 0xff;
    block[offset + i * 2 + 1] = c >> 8;
  }
}

const compact = (date: string) => date.replaceAll('-', '');
const validTo = (v: string) => (v === 'long-term' ? '长期' : compact(v));

function nationCode(name: string | null): string {
  for (const [code, n] of NATIONS) if (n === name) return code;
  return '97';
}

export function encodeTextBlock(card: IdCard): Uint8Array {
  const b = new Uint8Array(TEXT_BLOCK_BYTES);
  put(b, 0, TEXT_BLOCK_BYTES, '');
  const g = genderToCode(card.gender);
  put(b, 188, 16, compact(card.validFrom));
  put(b, 204, 16, validTo(card.validTo));
  switch (card.cardType) {
    case 'resident':
    case 'hk-mo-tw':
    case 'foreign-2023':
      put(b, 0, 30, card.name);
      put(b, 30, 2, g);
      put(b, 36, 16, compact(card.birthDate));
      put(b, 122, 36, card.idNumber);
      break;
    case 'foreign-2017':
      break;
  }
  switch (card.cardType) {
    case 'resident':
      put(b, 32, 4, nationCode(card.nation));
      put(b, 52, 70, card.address ?? '');
      put(b, 158, 30, card.authority ?? '');
      break;
    case 'hk-mo-tw':
      put(b, 52, 70, card.address ?? '');
      put(b, 158, 30, card.authority ?? '');
      put(b, 220, 18, card.passNumber);
      put(b, 238, 4, card.issueCount === null ? '' : String(card.issueCount).padStart(2, '0'));
      put(b, TYPE_FLAG_OFFSET, 2, 'J');
      break;
    case 'foreign-2017':
      put(b, 0, 120, card.englishName);
      put(b, 120, 2, g);
      put(b, 122, 30, card.idNumber);
      put(b, 152, 6, card.nationality);
      put(b, 158, 30, card.name);
      put(b, 220, 16, compact(card.birthDate));
      put(b, 236, 4, card.cardVersion);
      put(b, 240, 8, card.authority ?? '');
      put(b, TYPE_FLAG_OFFSET, 2, 'I');
      break;
    case 'foreign-2023':
      put(b, 32, 4, card.renewalCount === null ? '' : String(card.renewalCount).padStart(2, '0'));
      put(b, 52, 70, card.englishName.slice(0, 35));
      put(b, 220, 22, card.englishName.slice(35, 46));
      put(b, 242, 6, card.nationality);
      put(b, TYPE_FLAG_OFFSET, 2, 'Y');
      put(b, 250, 6, card.previousNumber ?? '');
      break;
  }
  return b;
}

/** Data of a successful `30 01` answer: length words, text block, photo. */
export function encodeReadData(text: Uint8Array, photo: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + text.length + photo.length);
  out[0] = text.length >> 8;
  out[1] = text.length & 0xff;
  out[2] = photo.length >> 8;
  out[3] = photo.length & 0xff;
  out.set(text, 4);
  out.set(photo, 4 + text.length);
  return out;
}

export function encodeAppendedAddress(address: string): Uint8Array {
  const b = new Uint8Array(APPENDED_ADDRESS_BYTES);
  put(b, 0, APPENDED_ADDRESS_BYTES, address);
  return b;
}
