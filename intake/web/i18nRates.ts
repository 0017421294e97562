// The staff app's words for repeats, the ranking, the home page and attachments (issue 15, helper
// "rates"), spread into the one catalogue (i18n.ts); kept here so parallel work on the catalogue
// does not collide line by line.
export const ratesZh = {
  repeatsTitle: '重复诉求', timesRaised: '反映 {n} 次', repeatOf: '本件是以下工单的重复诉求：', suggestionsTitle: '可能的重复诉求', reasonPlace: '同地点、同类别', reasonPhone: '同一回访电话',
  linkRepeat: '关联为重复诉求', unlinkRepeat: '取消关联', noRepeats: '没有关联的重复诉求', noSuggestions: '没有发现可能的重复诉求', detail_removed: '取消关联',
} as const;

export const ratesEn: Record<keyof typeof ratesZh, string> = {
  repeatsTitle: 'Repeats', timesRaised: 'raised {n} times', repeatOf: 'This case repeats:', suggestionsTitle: 'Likely repeats', reasonPlace: 'same place and category', reasonPhone: 'same callback phone',
  linkRepeat: 'Link as a repeat', unlinkRepeat: 'Unlink', noRepeats: 'No linked repeats', noSuggestions: 'No likely repeats found', detail_removed: 'Unlinked',
};
