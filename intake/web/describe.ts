// Machine details in words: a case history entry's detail and an audit row's {before, after} are
// JSON with stable codes (field names, statuses, roles, categories, unit ids, satisfaction…). They
// are shown only through the message catalogue (detail_*, role_*, …): no field name or code in English
// reaches the Chinese interface, and no Chinese label the English one.
import type { Meta } from './api.ts';
import { categoryLabel, roleLabel, statusLabel } from './context.tsx';
import { fmtTime, sep } from './format.ts';
import { type Lang, isKey, translate } from './i18n.ts';

const colon = (lang: Lang) => (lang === 'zh' ? '：' : ': ');
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A field name in words; a field the catalogue does not know is left out (its value still shows). */
export function fieldLabel(lang: Lang, field: string): string | null {
  const k = `detail_${field}`;
  return isKey(k) ? translate(lang, k) : null;
}

/** One value in words, knowing its field (a status, a role, a category code, a unit id, a time…). */
export function valueText(lang: Lang, meta: Meta | null, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return translate(lang, v ? 'yes' : 'no');
  if (Array.isArray(v)) {
    if (field === 'categories')
      return v
        .map((c: { code?: string; name?: string; shortEn?: string }) => (lang === 'zh' ? c.name : c.shortEn) ?? c.code ?? '')
        .join(sep(lang));
    if (field === 'overrides') {
      return v
        .map((o: { date?: string; kind?: string; name?: string }) =>
          [
            o.date,
            o.kind && isKey(o.kind === 'workday' ? 'workdayKind' : o.kind)
              ? translate(lang, o.kind === 'workday' ? 'workdayKind' : (o.kind as 'holiday'))
              : '',
            lang === 'zh' ? o.name : '',
          ]
            .filter(Boolean)
            .join(' '),
        )
        .join(sep(lang));
    }
    return v.map((x) => valueText(lang, meta, field, x)).join(sep(lang)) || '—';
  }
  if (typeof v === 'object') return translate(lang, 'items', { n: Object.keys(v).length });
  const s = String(v);
  if (field === 'from' || field === 'to' || field === 'status') return statusLabel(meta, lang, s);
  if (field === 'role') return roleLabel(lang, s);
  if (field === 'category') return categoryLabel(meta, lang, s);
  if (field === 'satisfaction' || field === 'rating') return isKey(s) ? translate(lang, s) : s;
  // The process's codes (issue 15): escalation levels, how it was escalated, an extension's decision.
  if (field === 'level' || field === 'fromLevel' || field === 'by' || field === 'decision') {
    const k = `${field === 'fromLevel' ? 'level' : field}_${s}`;
    return isKey(k) ? translate(lang, k) : s;
  }
  if ((field === 'unitIds' || field === 'unit' || field === 'unitId') && UUID.test(s))
    return meta?.units.find((u) => u.id === s)?.name ?? '—';
  if (typeof v === 'string' && ISO_TIME.test(s)) return fmtTime(s);
  // A staff attachment's type, read (issue 15): 照片 / PDF, and its file type as the format's name.
  if (field === 'kind' && isKey(`attachmentKind_${s}`)) return translate(lang, `attachmentKind_${s}` as 'attachmentKind_photo');
  if (field === 'mime') return (s.split('/')[1] ?? s).toUpperCase();
  return s;
}

/** Technical fields of an audit row that are kept in the log and the CSV, not shown in a sentence. */
const UNREAD = new Set(['id', 'sha256']);

/** One line for a history entry: "已派单 → 办理中 · 承办单位 物业公司 · 答复期限 2026-10-15". */
export function describeDetail(lang: Lang, meta: Meta | null, entry: unknown): string {
  if (!entry || typeof entry !== 'object') return '';
  const detail = entry as Record<string, unknown>;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(detail)) {
    if (k === 'to' && 'from' in detail) continue;
    if (k === 'from' && 'to' in detail) {
      parts.push(`${valueText(lang, meta, 'from', v)} → ${valueText(lang, meta, 'to', detail.to)}`);
      continue;
    }
    const label = fieldLabel(lang, k);
    const value =
      v && typeof v === 'object' && !Array.isArray(v) && 'to' in v
        ? `${valueText(lang, meta, k, (v as { from?: unknown }).from)} → ${valueText(lang, meta, k, (v as { to: unknown }).to)}`
        : valueText(lang, meta, k, v);
    parts.push(label ? `${label}${colon(lang)}${value}` : value);
  }
  return parts.join(' · ');
}

/** An audit row's {before, after} in one line: "角色：承办人 → 管理员". */
export function describeChange(lang: Lang, meta: Meta | null, detail: string | null): string {
  if (!detail) return '';
  const d = JSON.parse(detail) as { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  const keys = Object.keys({ ...(d.before ?? {}), ...(d.after ?? {}) }).filter((k) => !UNREAD.has(k));
  return keys
    .map((k) => {
      const label = fieldLabel(lang, k) ?? (isKey(k) ? translate(lang, k) : null);
      const change = `${valueText(lang, meta, k, d.before?.[k] ?? null)} → ${valueText(lang, meta, k, d.after?.[k] ?? null)}`;
      return label ? `${label}${colon(lang)}${change}` : change;
    })
    .join(lang === 'zh' ? '；' : '; ');
}
