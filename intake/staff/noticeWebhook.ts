// The notice webhook (issue 15): each notice of the inbox, and the 4th-working-day reminder, POSTed
// once to the URL an admin set, in the format the village office's group uses: plain JSON, a WeCom
// (企业微信) group robot, or a DingTalk (钉钉) group robot with optional 加签. The text names the case
// number, unit, level and dates only: never the resident's words or identity.
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { createLogger } from '../../lib/log.ts';
import { WorkLeases } from '../store/leases.ts';
import { pendingWebhookNotices, setWebhookState, type NoticeKind } from '../store/notices.ts';
import { readSettings, type Settings } from './settings.ts';
import { ESCALATION_LEVEL_ZH } from './noticeText.ts';

const log = createLogger('notice-webhook');

/** POSTs a JSON body (reminders.ts fetchPost in production; the same shape). */
export type Post = (url: string, body: unknown) => Promise<{ ok: boolean; status: number }>;

/** How long one process holds a notice while it POSTs it. */
export const NOTICE_LEASE_MS = 2 * 60_000;
/** A notice the webhook could not take for a day is not sent any more (it stays in the inbox). */
export const NOTICE_GIVE_UP_MS = 24 * 3_600_000;

export interface WebhookMessage {
  /** One line, Chinese (the village office's group reads Chinese). */
  title: string;
  /** The lines of the message, Chinese. */
  lines: string[];
  /** The plain JSON format's machine fields. */
  json: Record<string, unknown>;
}

/** The request for a message in the configured format: the URL (DingTalk 加签 adds timestamp and sign) and the body. */
export function webhookRequest(
  s: Pick<Settings, 'webhookUrl' | 'webhookFormat' | 'dingtalkSecret'>,
  m: WebhookMessage,
  now: number,
): { url: string; body: unknown } {
  const text = [m.title, ...m.lines].join('\n');
  switch (s.webhookFormat) {
    case 'wecom':
      // https://developer.work.weixin.qq.com/document/path/91770 (群机器人): markdown, content ≤ 4096 bytes.
      return {
        url: s.webhookUrl,
        body: { msgtype: 'markdown', markdown: { content: [`**${m.title}**`, ...m.lines.map((l) => `> ${l}`)].join('\n') } },
      };
    case 'dingtalk': {
      // https://open.dingtalk.com/document/robots/custom-robot-access: markdown {title, text}; 加签 =
      // base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), URL-encoded, with the timestamp in ms.
      let url = s.webhookUrl;
      if (s.dingtalkSecret) {
        const sign = createHmac('sha256', s.dingtalkSecret).update(`${now}\n${s.dingtalkSecret}`).digest('base64');
        url += `${url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${encodeURIComponent(sign)}`;
      }
      return {
        url,
        body: { msgtype: 'markdown', markdown: { title: m.title, text: [`#### ${m.title}`, ...m.lines.map((l) => `- ${l}`)].join('\n') } },
      };
    }
    default:
      return { url: s.webhookUrl, body: { ...m.json, text } };
  }
}

/** The webhook message of a notice, in Chinese. */
export function noticeMessage(kind: NoticeKind, caseNumber: string | null, d: Record<string, unknown>): WebhookMessage {
  const c = caseNumber ?? '—';
  const level = typeof d.level === 'number' ? (ESCALATION_LEVEL_ZH[d.level] ?? '') : '';
  const unit = typeof d.unit === 'string' ? d.unit : '—';
  const lines: Record<NoticeKind, [string, string[]]> = {
    reminder: [`工单 ${c} 到期提醒`, [`承办单位：${unit}`, `答复期限：${String(d.dueDate ?? '—')} 24:00`]],
    ack_overdue: [`工单 ${c} 签收超时`, [`承办单位：${unit}`, `应签收时间：${String(d.ackDue ?? '—')}`]],
    returned: [`工单 ${c} 被退单，请重新派单`, [`退单单位：${unit}`]],
    escalated: [`工单 ${c} 已升级至${level}`, [`责任人：${String(d.owner ?? '—')}`, `答复期限：${String(d.dueDate ?? '—')} 24:00`]],
    deescalated: [`工单 ${c} 已退回${level || '承办单位'}`, [`责任人：${String(d.owner ?? '—')}`]],
    escalation_proposed: [
      `工单 ${c} 建议升级至${level}`,
      [`原因：${({ overdue: '超期未答复', reopened: '重新办理', repeat: '重复反映' } as Record<string, string>)[String(d.reason)] ?? '—'}`],
    ],
    extension_requested: [`工单 ${c} 申请延期`, [`承办单位：${unit}`, `申请延至：${String(d.dueDate ?? '—')} 24:00`]],
    extension_decided: [
      `工单 ${c} 延期申请${d.decision === 'approved' ? '已批准' : '未批准'}`,
      [`答复期限：${String(d.dueDate ?? '—')} 24:00`],
    ],
  };
  const [title, body] = lines[kind];
  return { title, lines: body, json: { type: `notice.${kind}`, caseNumber, ...d } };
}

/**
 * Sends each pending notice once, whichever process ticks (a work lease per notice, its state read
 * again under the lease). Without a webhook URL the notices stay in the inbox only.
 */
export async function sendPendingNotices(
  db: Kysely<IntakeDatabase>,
  now: number,
  post: Post,
  leases = new WorkLeases(db),
): Promise<number> {
  const pending = await pendingWebhookNotices(db);
  if (pending.length === 0) return 0;
  const s = await readSettings(db);
  let sent = 0;
  for (const n of pending) {
    if (!s.webhookUrl || now - Date.parse(n.at) > NOTICE_GIVE_UP_MS) {
      await setWebhookState(db, n.id, 'none', now);
      continue;
    }
    const r = await leases.once('notice', String(n.id), NOTICE_LEASE_MS, now, async () => {
      const still = await db.selectFrom('notices').select('webhook_state').where('id', '=', n.id).executeTakeFirst();
      if (still?.webhook_state !== 'pending') return false;
      const req = webhookRequest(
        s,
        noticeMessage(n.kind as NoticeKind, n.case_number, JSON.parse(n.detail) as Record<string, unknown>),
        now,
      );
      try {
        const res = await post(req.url, req.body);
        if (!res.ok) {
          log.warn({ notice: n.id, status: res.status }, 'notice webhook refused');
          return false;
        }
      } catch (e) {
        log.warn({ notice: n.id, err: e }, 'notice webhook failed');
        return false; // tried again on the next tick
      }
      await setWebhookState(db, n.id, 'sent', now);
      return true;
    });
    if (r.ran && r.value) sent++;
  }
  return sent;
}
