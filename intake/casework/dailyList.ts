// Rows of the daily / weekly / monthly list, in the column order the township meeting uses
// (PRODUCT.md): 工单编号, 派单时间, 诉求内容, 问题发生地点, 承办单位, 责任属地, 办理结果.
import { toCsv } from './csv.ts';
import { type CaseStatus, NOT_A_CASE, STATUS_LABELS } from './status.ts';
import { DEFAULT_TZ, formatLocal } from './time.ts';
import type { Window } from './window.ts';

export const LIST_COLUMNS = ['工单编号', '派单时间', '诉求内容', '问题发生地点', '承办单位', '责任属地', '办理结果'] as const;
export const LIST_COLUMNS_EN = ['Case number', 'Dispatched', 'Request', 'Location', 'Handling unit', 'Territory', 'Result'] as const;

/** What the list needs of a case; the store selects exactly this. */
export interface ListCase {
  caseNumber: string;
  receivedAt: number;
  dispatchedAt: number | null;
  summary: string;
  location: string;
  unitName: string | null;
  territory: string | null;
  status: CaseStatus;
  result: string | null;
}

export type ListRow = [string, string, string, string, string, string, string];

export function inWindow(c: { receivedAt: number }, w: Window): boolean {
  return c.receivedAt >= w.start && c.receivedAt < w.end;
}

/** 办理结果: the recorded result text if there is one, else the status in words. */
export function resultText(c: ListCase, lang: 'zh' | 'en' = 'zh'): string {
  const label = STATUS_LABELS[c.status][lang];
  return c.result?.trim() ? `${label}${lang === 'zh' ? '：' : ': '}${c.result.trim()}` : label;
}

export function listRows(cases: readonly ListCase[], w: Window, tz = DEFAULT_TZ, lang: 'zh' | 'en' = 'zh'): ListRow[] {
  return cases
    .filter((c) => inWindow(c, w) && !NOT_A_CASE.includes(c.status))
    .sort((a, b) => a.receivedAt - b.receivedAt || a.caseNumber.localeCompare(b.caseNumber))
    .map((c) => [
      c.caseNumber,
      c.dispatchedAt === null ? (lang === 'zh' ? '未派单' : 'not dispatched') : formatLocal(c.dispatchedAt, tz),
      c.summary,
      c.location,
      c.unitName ?? '',
      c.territory ?? '',
      resultText(c, lang),
    ]);
}

export function listCsv(rows: readonly ListRow[], lang: 'zh' | 'en' = 'zh'): string {
  return toCsv(lang === 'zh' ? LIST_COLUMNS : LIST_COLUMNS_EN, rows);
}
