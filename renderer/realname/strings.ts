// Words of the real-name (ID card) screens, Chinese first. Plain and short: read aloud as prompts too.
const zhCN = {
  title: '实名反映',
  consentLead: '实名反映需要读取您的身份证。请先看一下：',
  consentWhat: '读取什么',
  consentWhatText: '姓名、身份证号码、住址、照片。',
  consentWhy: '为什么',
  consentWhyText: '方便工作人员给您回电话、核实您反映的事情。',
  consentKeep: '保存多久',
  consentKeepText: '在这台机器上加密保存，送到村里后台后马上删除；后台加密保存，只用于处理您的事情。',
  consentWho: '谁能看到',
  consentWhoText: '只有有权限的工作人员能看，每次查看都有记录。',
  agree: '同意',
  disagree: '不同意，匿名反映',
  placeTitle: '请放身份证',
  takeAwayTitle: '请先拿走卡',
  placeText: '请把身份证平放在屏幕右下方的读卡区，不要移动。',
  takeAwayFirst: '读卡器上还有一张卡，请先拿走，再放您自己的身份证。',
  readTitle: '请核对',
  name: '姓名',
  idNumber: '证件号码',
  photoAlt: '证件照片',
  photoPlaceholder: '证件照片（本机不显示）',
  confirmQuestion: '是您本人吗？',
  takeCardBack: '请记得取回您的身份证。',
  confirm: '是我，确认',
  notMe: '不是我，重新读',
  // Titles of the error screens: an unplugged reader is not a card that failed.
  errorTitles: {
    unreadable: '没有读成功',
    wrong_card: '没有读成功',
    reader_unavailable: '读卡器出了问题',
    unavailable: '暂时不能实名反映',
  },
  errors: {
    unreadable: '没有读出来。请把身份证平放在读卡区，不要移动，再试一次。',
    wrong_card: '这张卡读不了。请用居民身份证、港澳台居民居住证或外国人永久居留身份证。',
    reader_unavailable: '读卡器暂时不能用。您可以匿名反映，或者请工作人员帮忙。',
    unavailable: '这台设备暂时不能实名反映。您可以匿名反映。',
  },
  retry: '再试一次',
  anonymous: '改为匿名反映',
  cardTypes: {
    resident: '居民身份证',
    'hk-mo-tw': '港澳台居民居住证',
    'foreign-2017': '外国人永久居留身份证',
    'foreign-2023': '外国人永久居留身份证',
  },
} as const;

/** The shape of the Chinese words: the English must have exactly these keys (a missing or extra
 *  translation is a type error, not a blank on the resident's screen). */
type Words<T> = { readonly [K in keyof T]: T[K] extends string ? string : Words<T[K]> };

const en = {
  title: 'Real name',
  consentLead: 'To report under your real name, the booth reads your ID card. Please read first:',
  consentWhat: 'What is read',
  consentWhatText: 'Name, ID number, address, photo.',
  consentWhy: 'Why',
  consentWhyText: 'So that staff can call you back and check what you report.',
  consentKeep: 'How long',
  consentKeepText:
    'Encrypted on this booth and deleted as soon as the village office has it; kept encrypted there, only to handle your case.',
  consentWho: 'Who sees it',
  consentWhoText: 'Only staff allowed to, and every look is recorded.',
  agree: 'I agree',
  disagree: 'No, report anonymously',
  placeTitle: 'Place your ID card',
  takeAwayTitle: 'Take the card away first',
  placeText: 'Lay your ID card flat on the card area at the lower right of the screen and keep it still.',
  takeAwayFirst: 'There is still a card on the reader. Please take it away first, then place your own.',
  readTitle: 'Please check',
  name: 'Name',
  idNumber: 'ID number',
  photoAlt: 'Card photo',
  photoPlaceholder: 'Card photo (not shown on this booth)',
  confirmQuestion: 'Is this you?',
  takeCardBack: 'Remember to take your ID card back.',
  confirm: 'Yes, that is me',
  notMe: 'No, read again',
  errorTitles: {
    unreadable: 'The card was not read',
    wrong_card: 'The card was not read',
    reader_unavailable: 'Card reader problem',
    unavailable: 'Real name not available',
  },
  errors: {
    unreadable: 'The card could not be read. Lay it flat on the card area, keep it still, and try again.',
    wrong_card:
      'This card cannot be read. Please use a resident ID card, a HK/Macau/Taiwan residence permit or a foreign permanent residence card.',
    reader_unavailable: 'The card reader is not working right now. You can report anonymously, or ask staff for help.',
    unavailable: 'Real-name reporting is not available on this booth right now. You can report anonymously.',
  },
  retry: 'Try again',
  anonymous: 'Report anonymously',
  cardTypes: {
    resident: 'Resident ID card',
    'hk-mo-tw': 'HK/Macau/Taiwan residence permit',
    'foreign-2017': 'Foreign permanent residence card',
    'foreign-2023': 'Foreign permanent residence card',
  },
} as const satisfies Words<typeof zhCN>;

export const REALNAME_STRINGS = { 'zh-CN': zhCN, en } as const;
