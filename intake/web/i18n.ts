// Chinese first, English available. One flat dictionary per language; a missing English string
// falls back to Chinese so nothing is ever blank.
import { ratesEn, ratesZh } from './i18nRates.ts';

export type Lang = 'zh' | 'en';

const zh = {
  appName: '说吧 · 接诉即办工作台', login: '登录', logout: '退出', username: '用户名', password: '密码',
  loginFailed: '用户名或密码错误', locked: '失败次数过多，请稍后再试',
  navCases: '工单', navDue: '即将到期', navLists: '清单', navRates: '三率', navRecurring: '未诉先办', navAudit: '审计日志', navAdmin: '管理',
  search: '搜索（工单编号、内容、地点）', from: '接收起', to: '接收止', status: '状态', category: '类别', territory: '责任属地',
  unit: '承办单位', booth: '设备', overdue: '已超期', realName: '实名', anonymous: '匿名', all: '全部', apply: '筛选', reset: '重置',
  more: '加载更多', noCases: '没有符合条件的工单', caseNumber: '工单编号', receivedAt: '接收时间', summary: '诉求内容', location: '问题发生地点',
  dispatchedAt: '派单时间', result: '办理结果', deadline: '办理时限', due: '到期', dueSoon: '即将到期', overdueLabel: '已超期', met: '按时答复', late: '超时答复', running: '时限内', dispatchDue: '派单期限：{d}', dispatchWorkdays: '收到后几个工作日内派单（0 为当天）', dispatchOverdue: '派单已超期',
  workday: '第 {n} 个工作日（共 {of} 个）', reminderOn: '第4个工作日提醒：{d}', dueOn: '答复期限：{d} 24:00', calendarWarning: '注意：{y} 年的节假日安排尚未确认，期限可能不准',
  media: '录像 / 录音 / 照片', preparing: '正在准备播放…', cannotPlay: '无法播放（原始文件已保存）', original: '下载原始文件',
  identity: '实名信息', masked: '已遮盖', reveal: '查看实名', revealReason: '查看原因（将记入审计日志）', revealDo: '确认查看', anonymousCase: '匿名提交',
  name: '姓名', idNumber: '身份证号', address: '住址', phone: '电话',
  edit: '编辑', save: '保存', saved: '已保存', categorise: '分类与地点', history: '办理记录', notes: '备注', addNote: '添加备注',
  workflow: '办理', assign: '派单', assignTo: '派给承办单位', start: '开始办理', answer: '答复', answerText: '办理结果', close: '办结',
  escalate: '吹哨（上报其他部门）', agency: '接收部门', reopen: '重新办理', reason: '原因', markInvalid: '标为无效', markDuplicate: '标为重复',
  duplicateOf: '重复于工单编号', restore: '恢复', callback: '回访', contacted: '已联系诉求人（响应）', solved: '问题已解决（解决）',
  satisfaction: '满意度', satisfied: '满意', basically: '基本满意', unsatisfied: '不满意', noAnswer: '未评价', callbackNote: '回访记录', record: '记录回访',
  daily: '每日清单', weekly: '每周清单', monthly: '每月清单', date: '日期', window: '统计时段：{a} 至 {b}', meeting: '{t} 例会', print: '打印', csv: '导出 CSV', csvEn: '导出 CSV（英文表头）',
  rows: '共 {n} 件', rates: '三率', byUnit: '按承办单位', byVillage: '按村（社区）', week: '周', month: '月', period: '时段',
  evaluated: '参评', response: '响应率', resolution: '解决率', satisfactionRate: '满意率', trend: '趋势（全部）', definitions: '口径说明',
  heat: '类别 × 地点 × 月份', candidates: '反复出现的问题（{days} 天内 ≥ {n} 次）', count: '次数', first: '首次', last: '最近', cases: '工单',
  audit: '审计日志', exportCsv: '导出 CSV', at: '时间', user: '用户', action: '操作',
  users: '账号', units: '承办单位', settings: '设置', calendar: '工作日历', addUser: '新增账号', role: '角色', displayName: '姓名', addUnit: '新增单位',
  listCutoff: '清单截止时间', meetingTime: '例会时间', reminderTime: '提醒时间', webhookUrl: '提醒推送地址', categories: '问题类别（每行一个；居民在服务亭看到简称）', categoriesHelp: '每行：代码 | 名称 | 居民简称 | 英文简称。代码只用小写字母、数字和下划线，改名时不要改代码。', territories: '责任属地（每行一个）',
  yearStatus: '{y} 年：{s}', official: '已确认', provisional: '临时（待国务院安排）', unknown: '未知', holiday: '放假', workdayKind: '调休上班', normal: '恢复常规', confirmYear: '确认 {y} 年安排完整',
  conflict: '工单已被他人修改，请刷新', forbidden: '无权限', error: '出错了', loading: '加载中…', language: 'English', nothing: '—',
  revealPhone: '查看回访电话', revealPhoneReason: '查看原因（如：回访诉求人；将记入审计日志和办理记录）', revealPhoneDo: '查看电话',
  roleConfirm: '把 {u} 的角色从“{a}”改为“{b}”？此人需要重新登录。', disable: '停用', enable: '启用', change: '变更',
  audit_reveal_identity: '查看实名', audit_reveal_contact: '查看回访电话', audit_user_created: '新增账号', audit_user_changed: '修改账号',
  audit_role_changed: '修改角色', audit_password_reset: '重置密码', audit_unit_created: '新增承办单位', audit_settings_changed: '修改设置',
  audit_booth_settings_changed: '修改服务亭设置', audit_calendar_changed: '修改工作日历', audit_other: '其他操作',
  audit_attachment_added: '上传附件',
  role_viewer: '查看员', role_handler: '承办人', role_supervisor: '主管', role_admin: '管理员',
  // Case history: action codes (intake/store/caseHistory.ts HISTORY_ACTIONS) and detail fields.
  history_created: '收到', history_assign: '派单', history_acknowledge: '签收', history_return: '退单', history_extension_requested: '申请延期',
  history_extension_decided: '延期审批', history_escalate: '吹哨', history_start: '开始办理', history_answer: '答复', history_callback: '回访',
  history_evaluated: '诉求人评价', history_close: '办结', history_reopen: '重新办理', history_mark_invalid: '标为无效', history_mark_duplicate: '标为重复',
  history_restore: '恢复', history_link_repeat: '关联重复诉求', history_edit: '修改', history_note: '备注', history_attachment: '上传附件',
  history_reveal: '查看实名', history_reveal_contact: '查看回访电话', history_reminder: '到期提醒已发送', history_other: '其他操作', system: '系统',
  detail_unit: '承办单位', detail_dueDate: '答复期限', detail_dueAt: '到期', detail_result: '办理结果', detail_agency: '接收部门', detail_duplicateOf: '重复于',
  detail_reason: '原因', detail_text: '内容', detail_contacted: '已联系', detail_solved: '已解决', detail_satisfaction: '满意度', detail_note: '回访记录',
  detail_webhook: '已推送', detail_summary: '诉求内容', detail_category: '类别', detail_location: '地点', detail_territory: '责任属地', detail_source: '来源',
  detail_level: '层级', detail_rating: '评价', detail_comment: '留言', detail_repeatOf: '原工单', detail_repeat: '重复工单', detail_file: '文件', detail_kind: '类型',
  detail_role: '角色', detail_active: '启用', detail_unitIds: '承办单位', detail_username: '用户名', detail_displayName: '姓名', detail_name: '名称', detail_id: '编号',
  detail_overrides: '日历调整', detail_confirmedYears: '确认的年份', detail_recurThreshold: '反复出现次数', detail_recurDays: '反复出现天数', detail_timeZone: '时区',
  detail_categoriesRevision: '类别版本', detail_categories: '问题类别', detail_territories: '责任属地', detail_title: '标题', detail_size: '大小', detail_mime: '文件类型',
  yes: '是', no: '否', items: '{n} 项', mediaVideo: '录像', holidayName: '节日名称，如国庆节', tzName: '北京时间', mediaAudio: '录音', mediaPhoto: '照片', days: '天数', recurN: '反复出现次数（≥）',
  // Errors: the server's machine-readable reason (error.reason, else error.code) → words.
  err_bad_request: '提交的内容有误', err_unauthorized: '请重新登录', err_forbidden: '无权限', err_not_found: '未找到', err_conflict: '与当前状态冲突，请刷新后重试',
  err_locked: '已锁定，请稍后再试', err_too_many: '操作太频繁，请稍后再试', err_internal: '服务器出错，请稍后再试', err_network: '网络连接失败',
  err_unknown_category: '没有这个类别', err_confirm_role_change: '修改角色需要确认', err_cannot_demote_self: '不能停用自己或降低自己的角色', err_no_such_user: '没有这个账号',
  err_weak_password: '密码至少 10 位，且不能太容易猜', err_bad_username: '用户名只能用 2–32 位小写字母、数字和 _ . -', err_exists: '已经存在', err_unit_exists: '已有同名的承办单位',
  err_case_changed: '工单已被他人修改，请刷新', err_other_unit: '这件工单属于其他承办单位', err_supervisor_only: '只有主管可以这样操作', err_no_such_unit: '没有这个承办单位',
  err_duplicate_not_found: '找不到被重复的工单', err_wrong_status: '工单当前的状态不允许这样操作', err_no_callback_phone: '这件工单没有回访电话', err_anonymous: '这件工单是匿名提交的',
  err_no_such_case: '没有这件工单', err_callback_form: '请用回访表单记录回访', err_file_type: '只能上传照片（JPEG、PNG）或 PDF 文件', err_file_too_large: '文件太大',
  err_same_case: '不能关联到本工单自己', err_already_linked: '已经关联过了', err_not_linked: '本工单没有关联',
  err_booth_in_service: '这台设备正在使用中。要重新登记，请先点“停用”，再添加一次。', err_bad_booth_code: '设备编号应为 2 到 8 位大写字母或数字。',
  ...ratesZh,
} as const;

export type Key = keyof typeof zh;

const en: Partial<Record<Key, string>> = {
  appName: 'Say-it booth · Case desk', login: 'Log in', logout: 'Log out', username: 'User name', password: 'Password',
  loginFailed: 'Wrong user name or password', locked: 'Too many failed attempts; try again shortly',
  navCases: 'Cases', navDue: 'Due soon', navLists: 'Lists', navRates: 'Three rates', navRecurring: 'Recurring', navAudit: 'Audit log', navAdmin: 'Admin',
  search: 'Search (case number, text, place)', from: 'Received from', to: 'Received to', status: 'Status', category: 'Category', territory: 'Territory',
  unit: 'Handling unit', booth: 'Booth', overdue: 'Overdue', realName: 'Real name', anonymous: 'Anonymous', all: 'All', apply: 'Filter', reset: 'Reset',
  more: 'Load more', noCases: 'No cases match', caseNumber: 'Case number', receivedAt: 'Received', summary: 'Request', location: 'Location',
  dispatchedAt: 'Dispatched', result: 'Result', deadline: 'Deadline', due: 'Due', dueSoon: 'Due soon', overdueLabel: 'Overdue', met: 'Answered in time', late: 'Answered late', running: 'Within the time limit', dispatchDue: 'Dispatch due: {d}', dispatchWorkdays: 'Dispatch within working days of receipt (0 = the same day)', dispatchOverdue: 'Dispatch overdue',
  workday: 'Working day {n} of {of}', reminderOn: 'Reminder on working day 4: {d}', dueOn: 'Answer due: {d} 24:00', calendarWarning: 'Note: the holidays of {y} are not confirmed; the deadline may be wrong',
  media: 'Video / audio / photos', preparing: 'Preparing playback…', cannotPlay: 'Cannot play (the original is kept)', original: 'Download original',
  identity: 'Identity', masked: 'masked', reveal: 'Reveal identity', revealReason: 'Reason (written to the audit log)', revealDo: 'Reveal', anonymousCase: 'Submitted anonymously',
  name: 'Name', idNumber: 'ID number', address: 'Address', phone: 'Phone',
  edit: 'Edit', save: 'Save', saved: 'Saved', categorise: 'Category and place', history: 'History', notes: 'Notes', addNote: 'Add note',
  workflow: 'Workflow', assign: 'Assign', assignTo: 'Assign to unit', start: 'Start work', answer: 'Answer', answerText: 'Result', close: 'Close',
  escalate: 'Escalate (blow the whistle) to another agency', agency: 'Agency', reopen: 'Reopen', reason: 'Reason', markInvalid: 'Mark invalid', markDuplicate: 'Mark duplicate',
  duplicateOf: 'Duplicate of case number', restore: 'Restore', callback: 'Callback', contacted: 'Resident contacted (response)', solved: 'Problem solved (resolution)',
  satisfaction: 'Satisfaction', satisfied: 'Satisfied', basically: 'Basically satisfied', unsatisfied: 'Unsatisfied', noAnswer: 'No answer', callbackNote: 'Callback note', record: 'Record callback',
  daily: 'Daily list', weekly: 'Weekly list', monthly: 'Monthly list', date: 'Date', window: 'Window: {a} to {b}', meeting: '{t} meeting', print: 'Print', csv: 'Export CSV (Chinese headers)', csvEn: 'Export CSV (English headers)',
  rows: '{n} cases', rates: 'Three rates', byUnit: 'By handling unit', byVillage: 'By village', week: 'Week', month: 'Month', period: 'Period',
  evaluated: 'Evaluated', response: 'Response', resolution: 'Resolution', satisfactionRate: 'Satisfaction', trend: 'Trend (all)', definitions: 'Definitions',
  heat: 'Category × place × month', candidates: 'Recurring problems (≥ {n} in {days} days)', count: 'Count', first: 'First', last: 'Latest', cases: 'Cases',
  audit: 'Audit log', exportCsv: 'Export CSV', at: 'Time', user: 'User', action: 'Action',
  users: 'Accounts', units: 'Handling units', settings: 'Settings', calendar: 'Working calendar', addUser: 'Add account', role: 'Role', displayName: 'Name', addUnit: 'Add unit',
  listCutoff: 'List cut-off', meetingTime: 'Meeting time', reminderTime: 'Reminder time', webhookUrl: 'Reminder webhook URL', categories: 'Problem categories (one per line; residents see the short label at the booth)', categoriesHelp: 'Each line: code | name | short resident label | English label. Codes use lower-case letters, digits and _; keep the code when renaming.', territories: 'Territories (one per line)',
  yearStatus: '{y}: {s}', official: 'confirmed', provisional: 'provisional (awaiting the State Council)', unknown: 'unknown', holiday: 'Holiday', workdayKind: 'Make-up working day', normal: 'Back to normal', confirmYear: 'Confirm {y} is complete',
  conflict: 'Someone else changed this case; reload', forbidden: 'Not allowed', error: 'Error', loading: 'Loading…', language: '中文', nothing: '—',
  revealPhone: 'Show the callback phone', revealPhoneReason: 'Reason (e.g. calling the resident back; written to the audit log and the case history)', revealPhoneDo: 'Show phone',
  roleConfirm: 'Change the role of {u} from "{a}" to "{b}"? They will have to log in again.', disable: 'Disable', enable: 'Enable', change: 'Change',
  audit_reveal_identity: 'Identity revealed', audit_reveal_contact: 'Callback phone revealed', audit_user_created: 'Account created', audit_user_changed: 'Account changed',
  audit_role_changed: 'Role changed', audit_password_reset: 'Password reset', audit_unit_created: 'Unit created', audit_settings_changed: 'Settings changed',
  audit_booth_settings_changed: 'Booth settings changed', audit_calendar_changed: 'Calendar changed', audit_other: 'Other action',
  audit_attachment_added: 'Attachment added',
  role_viewer: 'Viewer', role_handler: 'Handler', role_supervisor: 'Supervisor', role_admin: 'Admin',
  history_created: 'received', history_assign: 'assigned', history_acknowledge: 'acknowledged', history_return: 'returned', history_extension_requested: 'extension requested',
  history_extension_decided: 'extension decided', history_escalate: 'escalated', history_start: 'started', history_answer: 'answered', history_callback: 'callback',
  history_evaluated: 'resident’s rating', history_close: 'closed', history_reopen: 'reopened', history_mark_invalid: 'marked invalid', history_mark_duplicate: 'marked duplicate',
  history_restore: 'restored', history_link_repeat: 'repeat linked', history_edit: 'edited', history_note: 'note', history_attachment: 'attachment added',
  history_reveal: 'identity revealed', history_reveal_contact: 'callback phone revealed', history_reminder: 'reminder sent', history_other: 'other step', system: 'system',
  detail_unit: 'Unit', detail_dueDate: 'Answer due', detail_dueAt: 'Due', detail_result: 'Result', detail_agency: 'Agency', detail_duplicateOf: 'Duplicate of',
  detail_reason: 'Reason', detail_text: 'Text', detail_contacted: 'Contacted', detail_solved: 'Solved', detail_satisfaction: 'Satisfaction', detail_note: 'Note',
  detail_webhook: 'Pushed', detail_summary: 'Request', detail_category: 'Category', detail_location: 'Location', detail_territory: 'Territory', detail_source: 'Source',
  detail_level: 'Level', detail_rating: 'Rating', detail_comment: 'Comment', detail_repeatOf: 'Original', detail_repeat: 'Repeat', detail_file: 'File', detail_kind: 'Kind',
  detail_role: 'Role', detail_active: 'Active', detail_unitIds: 'Units', detail_username: 'User name', detail_displayName: 'Name', detail_name: 'Name', detail_id: 'Id',
  detail_overrides: 'Calendar changes', detail_confirmedYears: 'Confirmed years', detail_recurThreshold: 'Recurring count', detail_recurDays: 'Recurring days', detail_timeZone: 'Time zone',
  detail_categoriesRevision: 'Category revision', detail_categories: 'Categories', detail_territories: 'Territories', detail_title: 'Title', detail_size: 'Size', detail_mime: 'File type',
  yes: 'yes', no: 'no', items: '{n} items', mediaVideo: 'Video', holidayName: 'Name, e.g. National Day', tzName: 'Beijing time', mediaAudio: 'Audio', mediaPhoto: 'Photo', days: 'Days', recurN: 'Recurring count (≥)',
  err_bad_request: 'Something in the form is wrong', err_unauthorized: 'Please log in again', err_forbidden: 'Not allowed', err_not_found: 'Not found', err_conflict: 'This conflicts with the current state; reload and try again',
  err_locked: 'Locked; try again later', err_too_many: 'Too many attempts; try again shortly', err_internal: 'Server error; try again later', err_network: 'Network error',
  err_unknown_category: 'No such category', err_confirm_role_change: 'A role change must be confirmed', err_cannot_demote_self: 'You cannot disable or demote yourself', err_no_such_user: 'No such account',
  err_weak_password: 'The password needs at least 10 characters and must not be easy to guess', err_bad_username: 'User names are 2–32 of a-z 0-9 _ . -', err_exists: 'Already exists', err_unit_exists: 'A unit with that name exists',
  err_case_changed: 'Someone else changed this case; reload', err_other_unit: 'This case belongs to another unit', err_supervisor_only: 'Only a supervisor may do this', err_no_such_unit: 'No such unit',
  err_duplicate_not_found: 'The case it duplicates was not found', err_wrong_status: 'The case’s status does not allow this', err_no_callback_phone: 'This case has no callback phone', err_anonymous: 'This case was submitted anonymously',
  err_no_such_case: 'No such case', err_callback_form: 'Record a callback with the callback form', err_file_type: 'Only photos (JPEG, PNG) or PDF files', err_file_too_large: 'The file is too large',
  err_same_case: 'A case cannot repeat itself', err_already_linked: 'Already linked', err_not_linked: 'This case is not linked',
  err_booth_in_service: 'This booth is in service. To enrol it again, revoke it first, then add it again.', err_bad_booth_code: 'A booth code is 2 to 8 capital letters or digits, e.g. FT01.',
  ...ratesEn,
};

export function translate(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  const s = (lang === 'en' ? en[key] : undefined) ?? zh[key] ?? '';
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** Whether a string is a key of the catalogue (codes from the server are looked up with this). */
export function isKey(k: string): k is Key {
  return Object.hasOwn(zh, k);
}

/** A code from the server (role, audit action, history action, error reason) in words, with a fallback key. */
export function codeText(lang: Lang, prefix: string, code: string, fallback: Key): string {
  const k = `${prefix}${code}`;
  return translate(lang, isKey(k) ? k : fallback);
}
