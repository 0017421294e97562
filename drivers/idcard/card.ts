// The one typed record every card layout decodes into (IDCARD-PROTOCOL.md §3.2, §3.3).
// The common fields are the technician CLI's JSON shape; each card type adds its own.
import type { Gender } from './codes.ts';

export type CardType = 'resident' | 'hk-mo-tw' | 'foreign-2017' | 'foreign-2023';
export const CARD_TYPES: readonly CardType[] = ['resident', 'hk-mo-tw', 'foreign-2017', 'foreign-2023'];

/** 'YYYY-MM-DD', or 'long-term' for 长期. */
export type ValidTo = string;

interface CommonFields {
  /** Chinese name (foreign cards: the Chinese name printed on the card, may be empty). */
  name: string;
  gender: Gender;
  /** Ethnic group name (GB 3304); null on cards that carry none or an unknown code. */
  nation: string | null;
  birthDate: string;
  /**
   * null on the foreign permanent residence cards ('I', 'Y'): their chips have no address field
   * (IDCARD-PROTOCOL.md §3.3; 'Y' bytes 52–121 hold the English name, not an address).
   */
  address: string | null;
  /** Citizen number / permit number as printed. */
  idNumber: string;
  /**
   * Resident and 'J' cards: the issuing authority's name. 'I' (2017): the chip carries no name, only
   * the 4-character code of the accepting authority (当次申请受理机关代码), given as read; null when
   * blank. 'Y' (2023): null, the chip has no authority field (bytes 158–187 are reserved).
   * Nothing is filled in that the chip does not carry.
   */
  authority: string | null;
  validFrom: string;
  validTo: ValidTo;
}

export interface ResidentCard extends CommonFields {
  cardType: 'resident';
}

export interface HkMoTwCard extends CommonFields {
  cardType: 'hk-mo-tw';
  passNumber: string;
  /** 签发次数; null when the field is not a number. */
  issueCount: number | null;
}

export interface Foreign2017Card extends CommonFields {
  cardType: 'foreign-2017';
  englishName: string;
  /** ISO 3166 alpha-3 nationality/region code. */
  nationality: string;
  cardVersion: string;
}

export interface Foreign2023Card extends CommonFields {
  cardType: 'foreign-2023';
  englishName: string;
  nationality: string;
  /** 换证次数; null when not a number. */
  renewalCount: number | null;
  /** 既往版本证件号码关联项 (link to an older number); null when blank. */
  previousNumber: string | null;
}

export type IdCard = ResidentCard | HkMoTwCard | Foreign2017Card | Foreign2023Card;

/** Raw face photo: WLT-compressed, decodable only by a licensed vendor library (see photo.ts). */
export interface WltPhoto {
  format: 'wlt';
  bytes: Uint8Array;
}
