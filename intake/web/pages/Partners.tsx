// 系统对接 / Partner systems (admin, issue 19): API keys for other systems (made here, shown once,
// revoked here, with their use counts), webhook endpoints with the delivery log and resend, and the
// townships served as Open311 jurisdictions. The page keeps its own words (zh-CN first, then en).
import { useCallback, useEffect, useState } from 'react';
import { ApiError, staff, type Answer } from '../api.ts';
import { API_KEY_SCOPES, ApiKeyScope } from '../../../contract/partnerKeys.ts';
import { CASE_EVENT_TYPES, CaseEventType } from '../../../contract/caseEvents.ts';
import { formFields } from '../form.ts';
import { useApp } from '../context.tsx';
import { fmtTime, sep } from '../format.ts';
import { Table } from '../Table.tsx';

const WORDS = {
  zh: {
    keys: '接入密钥',
    name: '名称',
    scopes: '权限',
    prefix: '密钥开头',
    expires: '到期',
    rate: '每分钟上限',
    uses: '使用次数',
    lastUse: '最近使用',
    state: '状态',
    active: '有效',
    expired: '已过期',
    revoked: '已吊销',
    revoke: '吊销',
    revokeConfirm: '吊销“{n}”？使用它的系统将立即无法访问。',
    'cases:read': '读取工单',
    'cases:write': '提交工单',
    'rates:read': '读取三率',
    days: '有效天数',
    never: '不过期',
    township: '限定乡镇',
    anyTownship: '全部',
    newKey: '新增密钥',
    shownOnce: '请立即复制并交给对方系统，此密钥只显示这一次：',
    copied: '已复制',
    copy: '复制',
    hooks: '事件推送',
    url: '接收地址',
    events: '事件',
    allEvents: '全部事件',
    pending: '待发送',
    failed: '已放弃',
    pause: '暂停',
    resume: '恢复',
    newHook: '新增推送',
    secretOnce: '签名密钥只显示这一次，请交给对方用于验证签名：',
    paused: '已暂停',
    pendingH: '待发送',
    failedH: '已放弃',
    eventsHint: '（不勾选即推送全部事件）',
    log: '推送记录',
    event: '事件',
    caseNo: '工单编号',
    attempts: '次数',
    lastStatus: '最近结果',
    next: '下次尝试',
    delivered: '已送达',
    resend: '重新发送',
    towns: '辖区乡镇（Open311 jurisdiction_id）',
    townId: '标识',
    townZh: '中文名',
    townEn: '英文名',
    villages: '所辖村（社区），用、分隔',
    addTown: '添加一行',
    save: '保存',
    contact: '联系方式（发现文档）',
    keyService: '密钥申请说明（发现文档）',
    saved: '已保存',
    error: '出错了',
    none: '暂无',
    'case.created': '收到',
    'case.dispatched': '派单',
    'case.acknowledged': '签收',
    'case.returned': '退单',
    'case.escalated': '升级',
    'case.answered': '答复',
    'case.called_back': '回访',
    'case.evaluated': '评价',
    'case.closed': '办结',
  },
  en: {
    keys: 'API keys',
    name: 'Name',
    scopes: 'Scopes',
    prefix: 'Key starts',
    expires: 'Expires',
    rate: 'Per minute',
    uses: 'Uses',
    lastUse: 'Last used',
    state: 'State',
    active: 'active',
    expired: 'expired',
    revoked: 'revoked',
    revoke: 'Revoke',
    revokeConfirm: 'Revoke “{n}”? Systems using it lose access at once.',
    'cases:read': 'read cases',
    'cases:write': 'file cases',
    'rates:read': 'read rates',
    days: 'Valid for (days)',
    never: 'never expires',
    township: 'Township only',
    anyTownship: 'all',
    newKey: 'Add key',
    shownOnce: 'Copy it now and give it to the partner system; this key is shown only once:',
    copied: 'Copied',
    copy: 'Copy',
    hooks: 'Event webhooks',
    url: 'Receiving URL',
    events: 'Events',
    allEvents: 'all events',
    pending: 'pending',
    failed: 'given up',
    pause: 'Pause',
    resume: 'Resume',
    newHook: 'Add webhook',
    secretOnce: 'The signing secret is shown only once; give it to the partner to verify signatures:',
    paused: 'paused',
    pendingH: 'Pending',
    failedH: 'Given up',
    eventsHint: ' (none ticked: every event)',
    log: 'Delivery log',
    event: 'Event',
    caseNo: 'Case number',
    attempts: 'Attempts',
    lastStatus: 'Last result',
    next: 'Next attempt',
    delivered: 'delivered',
    resend: 'Resend',
    towns: 'Townships served (Open311 jurisdiction_id)',
    townId: 'Id',
    townZh: 'Chinese name',
    townEn: 'English name',
    villages: 'Villages, separated by commas',
    addTown: 'Add a row',
    save: 'Save',
    contact: 'Contact (discovery document)',
    keyService: 'How to get a key (discovery document)',
    saved: 'Saved',
    error: 'Something went wrong',
    none: 'none yet',
    'case.created': 'received',
    'case.dispatched': 'dispatched',
    'case.acknowledged': 'acknowledged',
    'case.returned': 'returned',
    'case.escalated': 'escalated',
    'case.answered': 'answered',
    'case.called_back': 'called back',
    'case.evaluated': 'evaluated',
    'case.closed': 'closed',
  },
} as const;
type Word = keyof (typeof WORDS)['zh'];

type Key = Answer<'partners', 'apiKeys'>['keys'][number];
type Hook = Answer<'partners', 'webhooks'>['endpoints'][number];
type Delivery = Answer<'partners', 'deliveries'>['deliveries'][number];
type PartnerSettings = Answer<'partners', 'partnerSettings'>['settings'];

// Dates one way in both languages (the back office's zone, digits only: no words to translate).
const when = fmtTime;

export function PartnersPage() {
  const { lang, t } = useApp();
  const w = (k: Word, v: Record<string, string> = {}) =>
    Object.entries(v).reduce<string>((s, [a, b]) => s.replace(`{${a}}`, b), WORDS[lang][k]);
  const [keys, setKeys] = useState<Key[]>([]);
  const [hooks, setHooks] = useState<Hook[]>([]);
  const [log, setLog] = useState<Delivery[]>([]);
  const [ps, setPs] = useState<PartnerSettings | null>(null);
  // Words are kept as catalogue keys, not text, so a language switch re-words what is on screen.
  const [once, setOnce] = useState<{ label: 'shownOnce' | 'secretOnce'; value: string } | null>(null);
  const [msg, setMsg] = useState<{ word: 'saved' | 'copied' | 'error'; status?: number } | null>(null);
  const load = useCallback(async () => {
    setKeys((await staff.partners.apiKeys()).keys);
    setHooks((await staff.partners.webhooks()).endpoints);
    setLog((await staff.partners.deliveries({ query: { limit: 50 } })).deliveries);
    setPs((await staff.partners.partnerSettings()).settings);
  }, []);
  useEffect(() => void load(), [load]);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setMsg({ word: 'saved' });
      await load();
    } catch (e) {
      setMsg({ word: 'error', ...(e instanceof ApiError ? { status: e.status } : {}) });
    }
  };

  return (
    <section className="admin partners">
      {msg && (
        <p className="msg" role="status">
          {w(msg.word)}
          {msg.status ? (lang === 'zh' ? `（${msg.status}）` : ` (${msg.status})`) : ''}
        </p>
      )}
      {once && (
        <div className="once" role="alert">
          <p>{w(once.label)}</p>
          <code data-testid="shown-once">{once.value}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(once.value).then(() => setMsg({ word: 'copied' }))}>
            {w('copy')}
          </button>
        </div>
      )}

      <h2>{w('keys')}</h2>
      <Table
        caption={w('keys')}
        rows={keys}
        rowKey={(k) => k.id}
        empty={w('none')}
        rowProps={(k) => ({ className: k.state === 'active' ? undefined : 'inactive' })}
        columns={[
          { header: w('name'), cell: (k) => k.name },
          { header: w('prefix'), cell: (k) => <code>{k.prefix}…</code> },
          { header: w('scopes'), cell: (k) => k.scopes.map((s) => w(s as Word)).join(sep(lang)) },
          { header: w('township'), cell: (k) => k.jurisdictionId ?? w('anyTownship') },
          { header: w('rate'), cell: (k) => k.ratePerMinute },
          { header: w('expires'), cell: (k) => (k.expiresAt ? when(k.expiresAt) : w('never')) },
          { header: w('uses'), cell: (k) => k.useCount },
          { header: w('lastUse'), cell: (k) => when(k.lastUsedAt) },
          { header: w('state'), cell: (k) => w(k.state) },
          {
            header: t('actions'),
            hideHeader: true,
            cell: (k) =>
              k.state !== 'revoked' && (
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    window.confirm(w('revokeConfirm', { n: k.name })) &&
                    void run(() => staff.partners.revokeApiKey({ params: { id: k.id } }))
                  }
                >
                  {w('revoke')}
                </button>
              ),
          },
        ]}
      />
      <form
        className="inline"
        onSubmit={(e) => {
          const el = e.currentTarget;
          const f = formFields(e);
          const days = Number(f.get('days'));
          void run(async () => {
            const r = await staff.partners.createApiKey({
              body: {
                name: f.get('name'),
                scopes: f.getAll('scopes').map((x) => ApiKeyScope.parse(x)),
                expiresInDays: days > 0 ? days : null,
                ratePerMinute: Number(f.get('rate')) || 60,
                jurisdictionId: f.get('town') || null,
              },
            });
            setOnce({ label: 'shownOnce', value: r.secret });
            el.reset();
          });
        }}
      >
        <input name="name" placeholder={w('name')} aria-label={w('name')} required maxLength={60} />
        {API_KEY_SCOPES.map((s) => (
          <label key={s}>
            <input type="checkbox" name="scopes" value={s} defaultChecked={s === 'cases:read'} /> {w(s)}
          </label>
        ))}
        <label>
          {w('days')} <input name="days" type="number" min={0} max={730} defaultValue={365} />
        </label>
        <label>
          {w('rate')} <input name="rate" type="number" min={1} max={6000} defaultValue={60} />
        </label>
        <label>
          {w('township')}{' '}
          <select name="town">
            <option value="">{w('anyTownship')}</option>
            {ps?.jurisdictions.map((j) => (
              <option key={j.id} value={j.id}>
                {lang === 'zh' ? j.nameZh : j.nameEn || j.id}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{w('newKey')}</button>
      </form>

      <h2>{w('hooks')}</h2>
      <Table
        caption={w('hooks')}
        rows={hooks}
        rowKey={(h) => h.id}
        empty={w('none')}
        rowProps={(h) => ({ className: h.active ? undefined : 'inactive' })}
        columns={[
          {
            header: w('name'),
            cell: (h) => (
              <>
                {h.name}
                {h.active ? '' : `（${w('paused')}）`}
              </>
            ),
          },
          { header: w('url'), cell: (h) => <code>{h.url}</code> },
          {
            header: w('events'),
            cell: (h) => (h.eventTypes.length ? h.eventTypes.map((e) => w(e as Word)).join(sep(lang)) : w('allEvents')),
          },
          { header: w('pendingH'), cell: (h) => h.pending },
          { header: w('failedH'), cell: (h) => h.failed },
          {
            header: t('actions'),
            hideHeader: true,
            cell: (h) => (
              <button
                type="button"
                className="link"
                onClick={() => void run(() => staff.partners.changeWebhook({ params: { id: h.id }, body: { active: !h.active } }))}
              >
                {h.active ? w('pause') : w('resume')}
              </button>
            ),
          },
        ]}
      />
      <form
        className="inline"
        onSubmit={(e) => {
          const el = e.currentTarget;
          const f = formFields(e);
          void run(async () => {
            const r = await staff.partners.createWebhook({
              body: { name: f.get('name'), url: f.get('url'), eventTypes: f.getAll('events').map((x) => CaseEventType.parse(x)) },
            });
            setOnce({ label: 'secretOnce', value: r.secret });
            el.reset();
          });
        }}
      >
        <input name="name" placeholder={w('name')} aria-label={w('name')} required maxLength={60} />
        <input name="url" type="url" placeholder="https://…" aria-label={w('url')} required />
        <fieldset className="events">
          <legend>
            {w('events')}
            {w('eventsHint')}
          </legend>
          {CASE_EVENT_TYPES.map((t) => (
            <label key={t}>
              <input type="checkbox" name="events" value={t} /> {w(t)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{w('newHook')}</button>
      </form>

      <h2>{w('log')}</h2>
      <Table
        caption={w('log')}
        rows={log}
        rowKey={(d) => d.id}
        empty={w('none')}
        columns={[
          { header: w('event'), cell: (d) => w(d.eventType as Word) },
          { header: w('caseNo'), cell: (d) => d.caseNumber ?? '—' },
          { header: w('name'), cell: (d) => hooks.find((h) => h.id === d.endpointId)?.name ?? '—' },
          { header: w('state'), cell: (d) => w(d.state) },
          { header: w('attempts'), cell: (d) => d.attempts },
          { header: w('lastStatus'), cell: (d) => d.lastStatus ?? d.lastError ?? '—' },
          { header: w('next'), cell: (d) => (d.state === 'pending' ? when(d.nextAttemptAt) : when(d.deliveredAt)) },
          {
            header: t('actions'),
            hideHeader: true,
            cell: (d) => (
              <button type="button" className="link" onClick={() => void run(() => staff.partners.resend({ params: { id: d.id } }))}>
                {w('resend')}
              </button>
            ),
          },
        ]}
      />

      {ps && (
        <>
          <h2>{w('towns')}</h2>
          <form
            className="edit"
            onSubmit={(e) => {
              const f = formFields(e);
              const ids = f.getAll('townId');
              const jurisdictions = ids
                .map((id, i) => ({
                  id: id.trim(),
                  nameZh: (f.getAll('townZh')[i] ?? '').trim(),
                  nameEn: (f.getAll('townEn')[i] ?? '').trim(),
                  villages: (f.getAll('villages')[i] ?? '').split(/[、,，\s]+/).filter(Boolean),
                }))
                .filter((j) => j.id);
              void run(() =>
                staff.partners.changePartnerSettings({
                  body: { jurisdictions, contact: f.get('contact'), keyService: f.get('keyService') },
                }),
              );
            }}
          >
            <table className="cases">
              <thead>
                <tr>
                  <th>{w('townId')}</th>
                  <th>{w('townZh')}</th>
                  <th>{w('townEn')}</th>
                  <th>{w('villages')}</th>
                </tr>
              </thead>
              <tbody>
                {[...ps.jurisdictions, { id: '', nameZh: '', nameEn: '', villages: [] }].map((j, i) => (
                  <tr key={`${j.id}-${i}`}>
                    <td>
                      <input name="townId" defaultValue={j.id} placeholder="dongzhen.example.gov.cn" aria-label={w('townId')} />
                    </td>
                    <td>
                      <input name="townZh" defaultValue={j.nameZh} aria-label={w('townZh')} />
                    </td>
                    <td>
                      <input name="townEn" defaultValue={j.nameEn} aria-label={w('townEn')} />
                    </td>
                    <td>
                      <input name="villages" defaultValue={j.villages.join('、')} aria-label={w('villages')} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <label>
              {w('contact')} <input name="contact" defaultValue={ps.contact} maxLength={200} />
            </label>
            <label>
              {w('keyService')} <input name="keyService" defaultValue={ps.keyService} maxLength={200} />
            </label>
            <button type="submit">{w('save')}</button>
          </form>
        </>
      )}
    </section>
  );
}
