// Pure decoding of read payloads (IDCARD-PROTOCOL.md §3): the read-response split into text, photo
// and fingerprint by its length words, and the 256-byte UTF-16LE text block of the four card types.
// A payload that does not decode, including an ID number failing its check digit, is a read error.
import type { CardType, IdCard, WltPhoto } from './card.ts';
import { isValidIdNumber } from './checkDigit.ts';
import { genderFromCode, nationFromCode } from './codes.ts';
import type { Result } from '../../lib/result.ts';

export const TEXT_BLOCK_BYTES = 256;
export const APPENDED_ADDRESS_BYTES = 70;
export const TYPE_FLAG_OFFSET = 248;

export type DecodeErrorCode = 'bad-layout' | 'unknown-card-type' | 'bad-date' | 'bad-id-number' | 'check-digit';
export interface DecodeError {
  code: DecodeErrorCode;
  /** Never contains personal data. */
  message: string;
}

export interface ReadPayload {
  text: Uint8Array;
  photo: WltPhoto;
  /** Present only for a `30 10` read of a card that has fingerprints. */
  fingerprint: Uint8Array | null;
}

const fail = (code: DecodeErrorCode, message: string): Result<never, DecodeError> => ({ ok: false, error: { code, message } });

/** Splits the DATA of a successful `30 01` (or, with `withFingerprint`, `30 10`) response. */
export function splitReadData(data: Uint8Array, withFingerprint = false): Result<ReadPayload, DecodeError> {
  const head = withFingerprint ? 6 : 4;
  if (data.length < head) return fail('bad-layout', `read data too short (${data.length} bytes)`);
  const textLen = (data[0]! << 8) | data[1]!;
  const photoLen = (data[2]! << 8) | data[3]!;
  const fpLen = withFingerprint ? (data[4]! << 8) | data[5]! : 0;
  if (textLen !== TEXT_BLOCK_BYTES) return fail('bad-layout', `text length ${textLen}, expected 256`);
  if (head + textLen + photoLen + fpLen > data.length) return fail('bad-layout', 'length words exceed the frame');
  const text = data.slice(head, head + textLen);
  const photo = data.slice(head + textLen, head + textLen + photoLen);
  const fingerprint = fpLen > 0 ? data.slice(head + textLen + photoLen, head + textLen + photoLen + fpLen) : null;
  return { ok: true, value: { text, photo: { format: 'wlt', bytes: photo }, fingerprint } };
}

const utf16 = new TextDecoder('utf-16le');

/** A fixed-width UTF-16LE field, padding (spaces, NULs) trimmed. */
function field(text: Uint8Array, offset: number, bytes: number): string {
  return trimPadding(utf16.decode(text.subarray(offset, offset + bytes)));
}

function trimPadding(s: string): string {
  return s.replace(/^[\s\0]+|[\s\0]+$/g, '');
}

export function cardTypeOfBlock(text: Uint8Array): CardType | null {
  const flag = field(text, TYPE_FLAG_OFFSET, 2);
  switch (flag) {
    case '':
      return 'resident';
    case 'J':
      return 'hk-mo-tw';
    case 'I':
      return 'foreign-2017';
    case 'Y':
      return 'foreign-2023';
    default:
      return null;
  }
}

/** 'YYYYMMDD' → 'YYYY-MM-DD' when it is a calendar date. */
export function parseCardDate(s: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Validity end: a date, or 长期 (long-term) as an open end. */
export function parseValidTo(s: string): string | null {
  if (s.startsWith('长期')) return 'long-term';
  return parseCardDate(s);
}

function countOrNull(s: string): number | null {
  return /^\d+$/.test(s) ? Number(s) : null;
}

/** Decodes the 256-byte text block of any of the four card types. */
export function decodeTextBlock(text: Uint8Array): Result<IdCard, DecodeError> {
  if (text.length !== TEXT_BLOCK_BYTES) return fail('bad-layout', `text block is ${text.length} bytes, expected 256`);
  const cardType = cardTypeOfBlock(text);
  if (cardType === null) return fail('unknown-card-type', 'unrecognised card-type flag');
  const f = (off: number, bytes: number) => field(text, off, bytes);

  const validFrom = parseCardDate(f(188, 16));
  const validTo = parseValidTo(f(204, 16));
  if (validFrom === null || validTo === null) return fail('bad-date', 'validity dates do not decode');

  if (cardType === 'foreign-2017') {
    const birthDate = parseCardDate(f(220, 16));
    if (birthDate === null) return fail('bad-date', 'birth date does not decode');
    const idNumber = f(122, 30);
    // 15 characters: 3-letter nationality, then digits. Its check scheme is not in the protocol note,
    // so only the shape is validated.
    if (!/^[A-Z]{3}\d{12}$/.test(idNumber)) return fail('bad-id-number', 'permit number has the wrong shape');
    const authorityCode = f(240, 8);
    return {
      ok: true,
      value: {
        cardType,
        name: f(158, 30),
        gender: genderFromCode(f(120, 2)),
        nation: null,
        birthDate,
        address: null,
        idNumber,
        authority: authorityCode === '' ? null : authorityCode,
        validFrom,
        validTo,
        englishName: f(0, 120),
        nationality: f(152, 6),
        cardVersion: f(236, 4),
      },
    };
  }

  const birthDate = parseCardDate(f(36, 16));
  if (birthDate === null) return fail('bad-date', 'birth date does not decode');
  const idNumber = f(122, 36);
  if (!/^\d{17}[\dX]$/.test(idNumber)) return fail('bad-id-number', 'ID number has the wrong shape');
  if (!isValidIdNumber(idNumber)) return fail('check-digit', 'ID number fails its check digit');
  const gender = genderFromCode(f(30, 2));

  if (cardType === 'resident') {
    return {
      ok: true,
      value: {
        cardType,
        name: f(0, 30),
        gender,
        nation: nationFromCode(f(32, 4)),
        birthDate,
        address: f(52, 70),
        idNumber,
        authority: f(158, 30),
        validFrom,
        validTo,
      },
    };
  }
  if (cardType === 'hk-mo-tw') {
    return {
      ok: true,
      value: {
        cardType,
        name: f(0, 30),
        gender,
        nation: null,
        birthDate,
        address: f(52, 70),
        idNumber,
        authority: f(158, 30),
        validFrom,
        validTo,
        passNumber: f(220, 18),
        issueCount: countOrNull(f(238, 4)),
      },
    };
  }
  // 'Y' reuses the resident offsets for name, birth, number and dates; the English name is split in two.
  const previous = f(250, 6);
  return {
    ok: true,
    value: {
      cardType,
      name: f(0, 30),
      gender,
      nation: null,
      birthDate,
      address: null,
      idNumber,
      authority: null,
      validFrom,
      validTo,
      // Contiguous: characters 36-46 continue characters 1-35, so join before trimming.
      englishName: trimPadding(utf16.decode(text.subarray(52, 122)) + utf16.decode(text.subarray(220, 242))),
      nationality: f(242, 6),
      renewalCount: countOrNull(f(32, 4)),
      previousNumber: previous === '' ? null : previous,
    },
  };
}

/** The 70-byte appended ("latest") address of a `30 03` answer. */
export function decodeAppendedAddress(data: Uint8Array): string | null {
  if (data.length < APPENDED_ADDRESS_BYTES) return null;
  const s = field(data, 0, APPENDED_ADDRESS_BYTES);
  return s === '' ? null : s;
}
