// Chinese words the server itself sends out (webhook messages to a village office's group). The
// staff app words everything else through its own catalogue (intake/web/i18n.ts).
export const ESCALATION_LEVEL_ZH: readonly string[] = ['村（社区）', '乡镇（街道）', '区级部门', '包案领导'];
