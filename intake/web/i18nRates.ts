// The staff app's words for repeats, the ranking, the home page and attachments (issue 15, helper
// "rates"), spread into the one catalogue (i18n.ts); kept here so parallel work on the catalogue
// does not collide line by line.
export const ratesZh = {
  repeatsTitle: '重复诉求', timesRaised: '反映 {n} 次', repeatOf: '本件是以下工单的重复诉求：', suggestionsTitle: '可能的重复诉求', reasonPlace: '同地点、同类别', reasonPhone: '同一回访电话',
  linkRepeat: '关联为重复诉求', unlinkRepeat: '取消关联', noRepeats: '没有关联的重复诉求', noSuggestions: '没有发现可能的重复诉求', detail_removed: '取消关联',
  ranking: '三率排名', rank: '名次', previousRank: '上期名次', rankChange: '变化', score: '综合得分', newInRanking: '新上榜', unranked: '无评价',
  periodOf: '统计时段：{a} 至 {b}（上期：{c} 至 {d}）', anyDay: '时段内任一天', weights: '综合得分 = 响应率 × {r}% + 解决率 × {s}% + 满意率 × {f}%（缺少的比率不计，其余按比例折算）；得分相同名次并列。',
  trendOf: '趋势：{x}', trendAll: '全部', rated: '评价件数', residentRated: '其中诉求人自评', up: '上升 {n} 位', down: '下降 {n} 位', same: '持平', noRanking: '本时段没有参评工单',
  clickRow: '点击一行查看该单位的趋势',
  navHome: '首页', homeOwned: '我的包案', homeNewToday: '今日新收', homeWaiting: '待派单', homeMyUnits: '本单位在办工单', homeWeek: '本周三率（自 {a} 起，参评 {n} 件）',
  detail_idleTimeoutSec: '无操作返回首页（秒）', detail_idleWarningSec: '返回前提醒（秒）', detail_limits: '录制上限', detail_quickPickPlaces: '常用地点', detail_receiptText: '回执文字',
  detail_uploadWindows: '上传时段', detail_prompts: '界面文字', detail_quietHours: '安静时段', detail_updatesEnabled: '自动更新', detail_nightlyRestart: '夜间重启',
} as const;

export const ratesEn: Record<keyof typeof ratesZh, string> = {
  repeatsTitle: 'Repeats', timesRaised: 'raised {n} times', repeatOf: 'This case repeats:', suggestionsTitle: 'Likely repeats', reasonPlace: 'same place and category', reasonPhone: 'same callback phone',
  linkRepeat: 'Link as a repeat', unlinkRepeat: 'Unlink', noRepeats: 'No linked repeats', noSuggestions: 'No likely repeats found', detail_removed: 'Unlinked',
  ranking: 'Three-rate ranking', rank: 'Rank', previousRank: 'Previous rank', rankChange: 'Change', score: 'Score', newInRanking: 'new', unranked: 'nothing rated',
  periodOf: 'Period: {a} to {b} (previous: {c} to {d})', anyDay: 'Any day in the period', weights: 'Score = response × {r}% + resolution × {s}% + satisfaction × {f}% (a missing rate is left out and the others rescaled); equal scores share a rank.',
  trendOf: 'Trend: {x}', trendAll: 'all', rated: 'Rated', residentRated: 'of which by the resident', up: 'up {n}', down: 'down {n}', same: 'same', noRanking: 'No evaluated cases in this period',
  clickRow: 'Click a row for its trend',
  navHome: 'Home', homeOwned: 'Cases escalated to me', homeNewToday: 'New today', homeWaiting: 'Waiting for dispatch', homeMyUnits: 'My units’ open cases', homeWeek: 'This week’s three rates (from {a}, {n} evaluated)',
  detail_idleTimeoutSec: 'Idle timeout (s)', detail_idleWarningSec: 'Idle warning (s)', detail_limits: 'Recording limits', detail_quickPickPlaces: 'Quick-pick places', detail_receiptText: 'Receipt text',
  detail_uploadWindows: 'Upload windows', detail_prompts: 'Screen texts', detail_quietHours: 'Quiet hours', detail_updatesEnabled: 'Updates', detail_nightlyRestart: 'Nightly restart',
};
