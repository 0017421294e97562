// A made-up resident's card read as the booth seals it (contract/identity.ts SealedIdentityRecord),
// shared by the tests that seal and open it. The ID number passes the GB 11643 check digit.
import type { SealedIdentityRecord } from '../../contract/identity.ts';

export const MADE_UP_IDENTITY: SealedIdentityRecord = {
  card: {
    cardType: 'resident',
    name: '王小明',
    gender: 'male',
    nation: '汉',
    birthDate: '1990-03-07',
    address: '北京市丰台区某某村8号',
    idNumber: '110101199003077571',
    authority: '北京市公安局丰台分局',
    validFrom: '2015-01-01',
    validTo: '2035-01-01',
  },
  appendedAddress: null,
  photoWlt: Buffer.from('wlt').toString('base64'),
  readAt: '2026-12-07T03:00:00.000Z',
};
