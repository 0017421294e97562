// SW3, the reader/SAM status byte (IDCARD-PROTOCOL.md §2.3), as a typed value. Branch on SW3 only:
// SW1/SW2 forward the card's APDU status and are not reliably zero.

export type StatusKind =
  | 'ok' // 90
  | 'no-content' // 91
  | 'card-found' // 9F
  | 'host-checksum' // 10
  | 'host-length' // 11
  | 'bad-command' // 21
  | 'unauthorized' // 23
  | 'unrecognized-error' // 24
  | 'card-auth-sam-failed' // 31
  | 'sam-auth-card-failed' // 32
  | 'verify-failed' // 33
  | 'fingerprint-verify-failed' // 37
  | 'info-length' // 3F
  | 'unknown-card-type' // 40
  | 'read-failed' // 41
  | 'random-failed' // 47
  | 'sam-self-test-failed' // 60
  | 'sam-not-authorized' // 66
  | 'no-card' // 80
  | 'select-failed' // 81
  | 'unknown'; // anything else

export interface StatusInfo {
  code: number;
  kind: StatusKind;
  /** The specification's wording. */
  zh: string;
  en: string;
}

const TABLE: ReadonlyArray<readonly [number, StatusKind, string, string]> = [
  [0x90, 'ok', '操作成功', 'success'],
  [0x91, 'no-content', '证/卡中此项无内容', 'no such item on the card'],
  [0x9f, 'card-found', '寻找证/卡成功', 'card found'],
  [0x10, 'host-checksum', '接收业务终端数据的校验和错', 'checksum error in the host frame'],
  [0x11, 'host-length', '接收业务终端数据的长度错', 'length error in the host frame'],
  [0x21, 'bad-command', '接收业务终端的命令错误', 'bad command, parameter or sequence'],
  [0x23, 'unauthorized', '越权操作', 'unauthorized operation'],
  [0x24, 'unrecognized-error', '无法识别的错误', 'unrecognized error'],
  [0x31, 'card-auth-sam-failed', '证/卡认证 SAM 失败', 'card failed to authenticate the SAM'],
  [0x32, 'sam-auth-card-failed', 'SAM 认证证/卡失败', 'SAM failed to authenticate the card'],
  [0x33, 'verify-failed', '信息验证错误', 'information verification error'],
  [0x37, 'fingerprint-verify-failed', '指纹信息验证错误', 'fingerprint verification error'],
  [0x3f, 'info-length', '信息长度错误', 'information length error'],
  [0x40, 'unknown-card-type', '无法识别的卡类型', 'unrecognized card type'],
  [0x41, 'read-failed', '读证/卡操作失败', 'read failed'],
  [0x47, 'random-failed', '取随机数失败', 'get-random failed'],
  [0x60, 'sam-self-test-failed', 'SAM 自检失败，不能接收命令', 'SAM self-test failed'],
  [0x66, 'sam-not-authorized', 'SAM 没经过授权，无法使用', 'SAM not authorised'],
  [0x80, 'no-card', '寻找证/卡失败', 'no card in the field'],
  [0x81, 'select-failed', '选取证/卡失败', 'select failed'],
];

const BY_CODE = new Map<number, StatusInfo>(TABLE.map(([code, kind, zh, en]) => [code, { code, kind, zh, en }]));

export const ALL_STATUS_CODES: readonly number[] = TABLE.map(([code]) => code);

export function describeStatus(sw3: number): StatusInfo {
  return BY_CODE.get(sw3) ?? { code: sw3, kind: 'unknown', zh: '未知状态', en: `unknown status 0x${sw3.toString(16).padStart(2, '0')}` };
}

/** Codes that say the SAM itself cannot work: no card can be read until it is fixed. */
export function isSamFault(kind: StatusKind): boolean {
  return kind === 'sam-self-test-failed' || kind === 'sam-not-authorized';
}

/**
 * Card-level failures a second find/select/read cycle may cure: the card moved or was read badly
 * (41, 81, 80 after a find), or an authentication or random-number step between SAM and card failed
 * (31, 32, 33, 3F, 47, 24). Not: an unknown card type (40), SAM faults, our own frame errors.
 */
export function isTransientCardStatus(kind: StatusKind): boolean {
  return [
    'read-failed',
    'select-failed',
    'no-card',
    'card-auth-sam-failed',
    'sam-auth-card-failed',
    'verify-failed',
    'info-length',
    'random-failed',
    'unrecognized-error',
  ].includes(kind);
}

/** Codes that say our own frame was wrong (a bug or line noise), not the card. */
export function isHostFrameError(kind: StatusKind): boolean {
  return kind === 'host-checksum' || kind === 'host-length' || kind === 'bad-command';
}

export function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
