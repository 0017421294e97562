// Pure parts of the 接诉即办 process (issue 15): office-hour arithmetic for 签收, the escalation
// owner lookup, and the notice webhook's three formats (no network: the bodies and URLs only; the
// DingTalk one is also sent to a real receiver in tests/intake/staff/process.int.test.ts).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../intake/casework/calendar.ts';
import { addWorkingHours, nextLevel, ownerFor } from '../../../intake/casework/process.ts';
import { fromWall } from '../../../intake/casework/time.ts';
import { noticeMessage, webhookRequest } from '../../../intake/staff/noticeWebhook.ts';

const cal = WorkCalendar.standard();
const wh = { start: '08:30', end: '17:30', tz: 'Asia/Shanghai' };
const at = (d: string, t: string) => fromWall(d, t);

describe('addWorkingHours (签收 time)', () => {
  it.each([
    ['within the day', at('2026-11-05', '09:00'), 2, at('2026-11-05', '11:00')],
    ['Friday afternoon runs into Monday', at('2026-11-06', '16:30'), 2, at('2026-11-09', '09:30')],
    ['at night: from the next opening', at('2026-11-04', '22:00'), 2, at('2026-11-05', '10:30')],
    ['before opening', at('2026-11-05', '07:00'), 0.5, at('2026-11-05', '09:00')],
    ['on a weekend', at('2026-11-07', '10:00'), 1, at('2026-11-09', '09:30')],
    ['across the National Day holidays (the calendar: back to work on 10-08)', at('2026-09-30', '17:00'), 1, at('2026-10-08', '09:00')],
    ['a whole working day and more', at('2026-11-05', '08:30'), 10, at('2026-11-06', '09:30')],
  ])('%s', (_, from, hours, expected) => {
    expect(new Date(addWorkingHours(from, hours, cal, wh)).toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe('escalation owners', () => {
  const owners = [
    { level: 0, userId: 'v1', territory: '一村' },
    { level: 0, userId: 'v0', territory: '' },
    { level: 3, userId: 'L', territory: '' },
  ];
  it('prefers the territory’s own owner, then the one for all', () => {
    expect(ownerFor(owners, 0, '一村')?.userId).toBe('v1');
    expect(ownerFor(owners, 0, '二村')?.userId).toBe('v0');
    expect(ownerFor(owners, 0, null)?.userId).toBe('v0');
    expect(ownerFor(owners, 1, '一村')).toBeNull();
  });
  it('proposes the next level, none above the 包案 leader', () => {
    expect([nextLevel(null), nextLevel(0), nextLevel(2), nextLevel(3)]).toEqual([0, 1, 3, null]);
  });
});

describe('notice webhook formats', () => {
  const m = noticeMessage('escalated', 'SB01-20261110-0001', { level: 3, owner: '孙书记', dueDate: '2026-11-25' });
  const s = { webhookUrl: 'https://robot.example/send?key=k', dingtalkSecret: '' };
  it('WeCom group robot: markdown content', () => {
    expect(webhookRequest({ ...s, webhookFormat: 'wecom' }, m, 1_700_000_000_000)).toEqual({
      url: s.webhookUrl,
      body: {
        msgtype: 'markdown',
        markdown: { content: '**工单 SB01-20261110-0001 已升级至包案领导**\n> 责任人：孙书记\n> 答复期限：2026-11-25 24:00' },
      },
    });
  });
  it('DingTalk group robot: markdown title and text; 加签 adds timestamp and sign', () => {
    const r = webhookRequest({ ...s, webhookFormat: 'dingtalk', dingtalkSecret: 'SEC1' }, m, 1_700_000_000_000);
    const sign = encodeURIComponent(createHmac('sha256', 'SEC1').update('1700000000000\nSEC1').digest('base64'));
    expect(r.url).toBe(`${s.webhookUrl}&timestamp=1700000000000&sign=${sign}`);
    expect(r.body).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '工单 SB01-20261110-0001 已升级至包案领导',
        text: '#### 工单 SB01-20261110-0001 已升级至包案领导\n- 责任人：孙书记\n- 答复期限：2026-11-25 24:00',
      },
    });
    expect(webhookRequest({ ...s, webhookFormat: 'dingtalk' }, m, 1).url).toBe(s.webhookUrl);
  });
  it('plain JSON: the machine fields and the Chinese text', () => {
    expect(webhookRequest({ ...s, webhookFormat: 'json' }, m, 1).body).toEqual({
      type: 'notice.escalated',
      caseNumber: 'SB01-20261110-0001',
      level: 3,
      owner: '孙书记',
      dueDate: '2026-11-25',
      text: '工单 SB01-20261110-0001 已升级至包案领导\n责任人：孙书记\n答复期限：2026-11-25 24:00',
    });
  });
});
