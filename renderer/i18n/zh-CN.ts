// Resident-facing words, Chinese first. Short and plain: many residents read little, so each screen
// has one line of explanation and the rest is buttons with icons; spoken prompts
// (renderer/flow/prompts.json) say the same aloud. en.ts has the same keys (typed by Dictionary).
import type { CaptureKind } from '../../contract/kiosk.ts';

/** 180 → 3分钟, 90 → 90秒: whole minutes when they are. */
const zhDuration = (sec: number) => (sec % 60 === 0 ? `${sec / 60}分钟` : `${sec}秒`);

export interface Dictionary {
  langToggle: string;
  langToggleName: string;
  startTitle: string;
  startLine: string;
  kind: Record<CaptureKind, string>;
  back: string;
  home: string;
  next: string;
  skip: string;
  identityTitle: string;
  anonymous: string;
  anonymousLine: string;
  realname: string;
  realnameLine: string;
  realnameUnavailable: string;
  realnameUseAnonymous: string;
  phoneTitle: string;
  phoneLineOptional: string;
  phoneLineRequired: string;
  phoneDelete: string;
  phoneClear: string;
  phoneDone: string;
  phoneSkip: string;
  phoneInvalid: string;
  phoneEmpty: string;
  digit: (d: string) => string;
  captureTitle: Record<CaptureKind, string>;
  recordStart: Record<'video' | 'audio', string>;
  /** Written beside the capture buttons before anything starts: what to say or photograph, and the limit (seconds / photos). */
  captureHint: { video: (sec: number) => string; audio: (sec: number) => string; photo: (max: number) => string };
  stop: string;
  elapsed: string;
  remaining: string;
  takePhoto: string;
  faceCamera: string;
  documentCamera: string;
  keepPhoto: string;
  retakePhoto: string;
  photoLimit: (max: number) => string;
  photosTaken: (n: number, max: number) => string;
  countdownLabel: string;
  levelMeter: string;
  saving: string;
  reviewTitle: string;
  reviewLine: string;
  redo: string;
  delete: string;
  addMore: string;
  addKind: (kind: string) => string;
  itemLabel: (kind: CaptureKind, n: number) => string;
  seconds: (s: number) => string;
  detailsTitle: string;
  detailsLine: string;
  categoryTitle: string;
  locationTitle: string;
  noLocations: string;
  summaryTitle: string;
  summaryLine: string;
  summaryIdentity: string;
  summaryPhone: string;
  summaryNoPhone: string;
  summaryItems: string;
  summaryCategory: string;
  summaryLocation: string;
  /** What the booth keeps of the recordings, and for how long (issue 18). */
  summaryKeep: (days: number) => string;
  notChosen: string;
  changePhone: string;
  uploadNow: string;
  submittingTitle: string;
  receiptTitle: string;
  receiptNumber: string;
  receiptQr: string;
  /** Under a QR that opens the status page. */
  receiptQrStatus: string;
  /** Before the full case number, shown small under the resident number. */
  receiptCaseNumber: string;
  receiptNext: (days: number) => string;
  receiptNextNoPhone: string;
  print: string;
  printed: string;
  printFailed: string;
  finish: string;
  idleTitle: string;
  idleLine: (s: number) => string;
  /** Idle on a screen with nothing recorded yet (identity, phone, an empty capture). */
  idleLineNothing: (s: number) => string;
  receiptIdleTitle: string;
  receiptIdleLine: (s: number) => string;
  receiptIdleStay: string;
  continue: string;
  cameraMissing: string;
  microphoneMissing: string;
  deviceMissingLine: string;
  recordingInterrupted: string;
  noCaptureLeft: string;
  storageFull: string;
  /** No camera and no microphone works: the start screen says so (with 12345), no buttons. */
  noDevices: string;
  noDevicesLine: string;
  storageFullLine: string;
  /** Not enrolled or refused by the back office: the whole kiosk is out of service. */
  outOfServiceTitle: string;
  outOfServiceLine: string;
  itemInvalid: string;
  itemTooLarge: string;
  submitFailed: string;
  fallbackCamera: string;
  cancelSession: string;
  /** Asked before anything the resident made is thrown away (issue 18). */
  confirmDiscardTitle: string;
  confirmDeleteLine: (label: string) => string;
  confirmHomeLine: string;
  confirmYes: string;
  confirmNo: string;
  /** The start screen just after 回到首页: the session can be brought back for a few seconds. */
  undoLine: (s: number) => string;
  undo: string;
  /** Plain words for the core's error codes (contract/kiosk.ts ErrorCode). */
  errors: Record<string, string> & { other: string };
}

export const zhCN: Dictionary = {
  langToggle: 'English',
  langToggleName: '切换到英文 English',
  startTitle: '说吧',
  startLine: '遇到问题，请拍照、录像或录音告诉我们，工作人员会处理并回复您。',
  kind: { photo: '拍照', video: '录像', audio: '录音' },
  back: '返回',
  home: '回到首页',
  next: '下一步',
  skip: '跳过',
  identityTitle: '您想怎样反映？',
  anonymous: '匿名反映',
  anonymousLine: '不留姓名',
  realname: '实名反映',
  realnameLine: '刷身份证',
  realnameUnavailable: '这台设备暂时不能实名反映。',
  realnameUseAnonymous: '改为匿名反映',
  phoneTitle: '留个电话吗？',
  phoneLineOptional: '留下电话，工作人员可以给您回电话。不留也可以。',
  phoneLineRequired: '请留下电话，方便工作人员联系您。',
  phoneDelete: '删除一位',
  phoneClear: '全部清除',
  phoneDone: '确定',
  phoneSkip: '不留电话',
  phoneInvalid: '号码不对：手机号11位，座机请加区号',
  phoneEmpty: '请用下面的数字键输入',
  digit: (d) => d,
  captureTitle: { video: '录像', audio: '录音', photo: '拍照' },
  recordStart: { video: '开始录像', audio: '开始录音' },
  captureHint: {
    video: (sec) => `对着镜头说：什么事，在哪里，从什么时候开始。最长${zhDuration(sec)}。`,
    audio: (sec) => `对着话筒说：什么事，在哪里，从什么时候开始。最长${zhDuration(sec)}。`,
    photo: (max) => `拍下出问题的地方或有关的材料，最多${max}张。`,
  },
  stop: '停止',
  elapsed: '已录',
  remaining: '还剩',
  takePhoto: '拍照',
  faceCamera: '拍人像',
  documentCamera: '拍材料',
  keepPhoto: '就用这张',
  retakePhoto: '重拍',
  photoLimit: (max) => `最多${max}张照片`,
  photosTaken: (n, max) => `已拍 ${n}/${max} 张`,
  countdownLabel: '马上开始',
  levelMeter: '声音大小',
  saving: '正在保存…',
  reviewTitle: '看一看',
  reviewLine: '满意就点“下一步”，不满意可以重录或删除。',
  redo: '重录',
  delete: '删除',
  addMore: '再加',
  addKind: (k) => `再加${k}`,
  itemLabel: (kind, n) => `${{ video: '录像', audio: '录音', photo: '照片' }[kind]} ${n}`,
  seconds: (s) => `${Math.floor(s / 60)}分${String(s % 60).padStart(2, '0')}秒`,
  detailsTitle: '补充一下（可跳过）',
  detailsLine: '选一下是什么问题、在哪里。',
  categoryTitle: '什么问题',
  locationTitle: '在哪里',
  noLocations: '（本村没有设置地点）',
  summaryTitle: '确认一下',
  summaryLine: '没问题就点“立即上传”。',
  summaryIdentity: '方式',
  summaryPhone: '电话',
  summaryNoPhone: '没有留电话',
  summaryItems: '内容',
  summaryCategory: '问题',
  summaryLocation: '地点',
  summaryKeep: (days) =>
    days === 0
      ? '录像、录音和照片在这台机器上加密保存，送到后台后马上删除。'
      : `录像、录音和照片在这台机器上加密保存，送到后台${days}天后删除。`,
  notChosen: '没有选',
  changePhone: '改电话',
  uploadNow: '立即上传',
  submittingTitle: '正在保存，请稍等…',
  receiptTitle: '已经收到！',
  receiptNumber: '您的编号',
  receiptQr: '可以用手机拍下这个二维码',
  receiptNext: (days) => `工作人员会在${days}个工作日内联系您。`,
  receiptNextNoPhone: '工作人员会尽快处理。您没有留电话，可以凭编号到村委会查询。',
  receiptCaseNumber: '工单号',
  receiptQrStatus: '用手机扫一扫，可以查看办理进度',
  print: '打印回执',
  printed: '已打印，请取走回执',
  printFailed: '打印机暂时不能用，请拍下编号',
  finish: '完成',
  idleTitle: '您还在吗？',
  idleLine: (s) => `${s}秒后回到首页，刚才录的内容不会上传`,
  idleLineNothing: (s) => `${s}秒后回到首页`,
  receiptIdleTitle: '您的反映已经收到',
  receiptIdleLine: (s) => `屏幕即将回到首页（${s}秒）`,
  receiptIdleStay: '再看一会儿',
  continue: '继续',
  cameraMissing: '摄像头暂时不能用',
  microphoneMissing: '麦克风暂时不能用',
  deviceMissingLine: '您可以改用：',
  recordingInterrupted: '录到一半设备断开了。这是断开前录下的部分，可以保留，也可以重录。',
  noCaptureLeft: '设备暂时不能录制，请稍后再来，或拨打12345。',
  storageFull: '存储空间快满了，暂时不能录制',
  noDevices: '摄像头和麦克风暂时都不能用',
  noDevicesLine: '现在不能拍照、录像或录音。请稍后再来，或拨打12345。',
  storageFullLine: '已经保存的内容不会丢失。请稍后再来，或拨打12345。',
  outOfServiceTitle: '本机暂时不能使用',
  outOfServiceLine: '请联系村里工作人员。已经保存的内容不会丢失。',
  itemInvalid: '刚才的录制没有成功，请再录一次。',
  itemTooLarge: '这段内容太大了，请录短一点。',
  submitFailed: '保存没有成功，请再点一次“立即上传”。',
  fallbackCamera: '指定的摄像头没找到，正在用另一个摄像头',
  cancelSession: '不录了，回首页',
  confirmDiscardTitle: '要放弃刚才录的内容吗？',
  confirmDeleteLine: (label) => `删除“${label}”以后就找不回来了。`,
  confirmHomeLine: '回到首页，刚才录的内容都不会上传。',
  confirmYes: '是，放弃',
  confirmNo: '否，留着',
  undoLine: (s) => `点错了吗？刚才的内容还在，${s}秒内可以找回。`,
  undo: '回到刚才',

  errors: {
    media_empty: '录的内容是空的，请再录一次。',
    media_unreadable: '刚才的录制没有成功，请再录一次。',
    media_too_large: '这段内容太大了，请录短一点。',
    too_many_items: '已经够多了，不能再加了。',
    no_items: '还没有录任何内容。',
    disk_full: '存储空间快满了，暂时不能录制。',
    session_closed: '时间太久了，请重新开始。',
    other: '出了点问题，请再试一次。',
  },
};
