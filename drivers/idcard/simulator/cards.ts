// Made-up test cards, one per layout plus the awkward cases. Every identity here is invented;
// the 18-character numbers pass the check digit so that the driver accepts them.
import type { IdCard } from '../card.ts';
import { encodeTextBlock } from '../encode.ts';

export interface CardFixture {
  /** Short handle used by the simulator's control commands. */
  id: string;
  label: string;
  card: IdCard;
  /** Optional appended ("latest") address answered to `30 03`. */
  appendedAddress?: string;
  /** Replaces the encoded text block (to make an unreadable or corrupt card). */
  text?: Uint8Array;
}

/** A fixed, obviously synthetic 1024-byte WLT blob (not an image of anyone). */
export function fakeWlt(seed = 1): Uint8Array {
  const out = new Uint8Array(1024);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const resident: IdCard = {
  cardType: 'resident',
  name: '张测试',
  gender: 'male',
  nation: '汉',
  birthDate: '1990-03-07',
  address: '北京市丰台区测试路1号院8号楼2单元101室',
  idNumber: '110106199003071235',
  authority: '北京市公安局丰台分局',
  validFrom: '2020-05-01',
  validTo: '2040-05-01',
};

const elder: IdCard = {
  cardType: 'resident',
  name: '李样例',
  gender: 'female',
  nation: '满',
  birthDate: '1952-08-15',
  address: '北京市丰台区示例村3号',
  idNumber: '110106195208150043',
  authority: '北京市公安局丰台分局',
  validFrom: '2012-01-09',
  validTo: 'long-term',
};

const hkMoTw: IdCard = {
  cardType: 'hk-mo-tw',
  name: '陈演示',
  gender: 'male',
  nation: null,
  birthDate: '1988-06-12',
  address: '北京市丰台区演示街道9号',
  idNumber: '810000198806120026',
  authority: '北京市公安局丰台分局',
  validFrom: '2021-03-15',
  validTo: '2026-03-15',
  passNumber: 'H00000001',
  issueCount: 1,
};

const foreign2017: IdCard = {
  cardType: 'foreign-2017',
  name: '测试',
  gender: 'female',
  nation: null,
  birthDate: '1985-02-20',
  address: null,
  idNumber: 'ZZZ110085022001',
  authority: '1100',
  validFrom: '2019-07-01',
  validTo: '2029-07-01',
  englishName: 'SAMPLE, TESTER',
  nationality: 'ZZZ',
  cardVersion: '01',
};

const foreign2023: IdCard = {
  cardType: 'foreign-2023',
  name: '样本',
  gender: 'unstated',
  nation: null,
  birthDate: '1985-02-20',
  address: null,
  idNumber: '931156198502200030',
  authority: null,
  validFrom: '2024-01-10',
  validTo: '2034-01-10',
  englishName: 'EXAMPLE-PERSON, A LONG GIVEN NAME FOR TESTING',
  nationality: 'ZZZ',
  renewalCount: 0,
  previousNumber: null,
};

/** A resident card whose number fails the check digit: must read as an error, never as a card. */
function badCheckDigit(): Uint8Array {
  const text = encodeTextBlock({ ...resident, name: '王校验', idNumber: '110106199003071236' });
  return text;
}

export const CARD_FIXTURES: readonly CardFixture[] = [
  { id: 'resident', label: 'resident ID card', card: resident },
  {
    id: 'resident-long-term',
    label: 'resident ID card valid 长期, with an appended address',
    card: elder,
    appendedAddress: '北京市丰台区示例村新址5号楼',
  },
  { id: 'hk-mo-tw', label: "'J' Hong Kong/Macau/Taiwan residence permit", card: hkMoTw },
  { id: 'foreign-2017', label: "'I' 2017 foreign permanent residence card", card: foreign2017 },
  { id: 'foreign-2023', label: "'Y' 2023 foreign permanent residence card", card: foreign2023 },
  { id: 'bad-check-digit', label: 'resident card whose number fails the check digit', card: resident, text: badCheckDigit() },
];

export function findFixture(id: string): CardFixture | undefined {
  return CARD_FIXTURES.find((f) => f.id === id);
}
