// Fleet (admin): every booth with its last heartbeat, version, queue, disk, devices and last error;
// flagged booths first (not heard from for 10 minutes, oldest unsent too old, disk low, device
// fault); add a booth (one-time enrolment code + QR, 24 h), revoke one, and a week of heartbeats.
import { useEffect, useState, type FormEvent } from 'react';
import { staff, type Answer } from '../api.ts';
import { errorText, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { formFields } from '../form.ts';
import { Table } from '../Table.tsx';

type Fleet = Answer<'fleet', 'fleet'>;
type BoothRow = Fleet['booths'][number];
type Flag = BoothRow['flags'][number];
type IntakeAlert = BoothRow['intakeAlerts'][number];
type History = Answer<'fleet', 'heartbeats'>;
type Issued = Answer<'fleet', 'addBooth'>;

const S = {
  zh: {
    title: '设备',
    add: '添加设备',
    code: '设备编号',
    village: '村',
    location: '位置',
    create: '生成登记码',
    revoke: '停用',
    history: '一周记录',
    close: '关闭',
    lastSeen: '最近联系',
    version: '版本',
    queue: '待上传',
    oldest: '最久未传',
    disk: '剩余空间',
    devices: '设备状态',
    lastError: '最近错误',
    state: '状态',
    flags: '需要处理',
    never: '从未联系',
    revoked: '已停用',
    notEnrolled: '待登记',
    ok: '正常',
    skew: (t: string) => `时钟偏差 ${t}`,
    needs: (free: string, need: string) => `剩余 ${free}，录制需要 ${need}`,
    issued: (c: string) => `设备 ${c} 的一次性登记码（24 小时内有效，只能使用一次）：`,
    cmd: '在设备上运行：',
    validUntil: '有效期至',
    hour: '小时',
    count: '心跳次数',
    heartbeats: (n: number, silent: number) => `一周内收到 ${n} 次心跳；${silent} 个小时没有联系（红色）。柱高为该小时最多的待上传件数。`,
    confirmRevoke: (c: string) => `停用设备 ${c}？停用后它上传的内容会被拒收（内容保留在设备上）。`,
    device: { faceCamera: '人脸摄像头', documentCamera: '证件摄像头', microphone: '麦克风', idReader: '读卡器' } as Record<string, string>,
    deviceState: { ok: '正常', missing: '未连接', error: '故障', unknown: '未知' } as Record<string, string>,
    flag: {
      'never-heard': '从未联系',
      silent: '超过 10 分钟未联系',
      'queue-stuck': '积压过久',
      'disk-low': '录制空间不足',
      'device-fault': '硬件故障',
      'booth-alert': '设备报警',
      'clock-skew': '时钟不准',
      'intake-alert': '编号已改',
    },
    notRegistered: '（未在此添加）',
    caseRenumbered: (booth: string, filed: string) => `回执编号 ${booth} 已被另一件占用，本件改为 ${filed}（回执上的编号仍可查到）`,
    residentRenumbered: (n: string) => `群众编号 ${n} 不可用，本件已另配编号`,
  },
  en: {
    title: 'Fleet',
    add: 'Add booth',
    code: 'Booth code',
    village: 'Village',
    location: 'Location',
    create: 'Issue enrolment code',
    revoke: 'Revoke',
    history: 'Week',
    close: 'Close',
    lastSeen: 'Last heard',
    version: 'Version',
    queue: 'Waiting',
    oldest: 'Oldest unsent',
    disk: 'Disk free',
    devices: 'Devices',
    lastError: 'Last error',
    state: 'State',
    flags: 'Attention',
    never: 'never',
    revoked: 'revoked',
    notEnrolled: 'not enrolled',
    ok: 'ok',
    skew: (t: string) => `clock off by ${t}`,
    needs: (free: string, need: string) => `${free} free, recording needs ${need}`,
    issued: (c: string) => `One-time enrolment code for ${c} (valid 24 hours, single use):`,
    cmd: 'On the booth run:',
    validUntil: 'Valid until',
    hour: 'Hour',
    count: 'Heartbeats',
    heartbeats: (n: number, silent: number) =>
      `${n} heartbeats this week; ${silent} hours without any (red). Bar height: the hour's largest queue.`,
    confirmRevoke: (c: string) => `Revoke booth ${c}? Its uploads will be refused (they stay on the booth).`,
    device: { faceCamera: 'face camera', documentCamera: 'document camera', microphone: 'microphone', idReader: 'ID reader' } as Record<
      string,
      string
    >,
    deviceState: { ok: 'ok', missing: 'missing', error: 'fault', unknown: 'unknown' } as Record<string, string>,
    flag: {
      'never-heard': 'never heard',
      silent: 'silent over 10 min',
      'queue-stuck': 'queue stuck',
      'disk-low': 'too little room to record',
      'device-fault': 'device fault',
      'booth-alert': 'booth alert',
      'clock-skew': 'clock wrong',
      'intake-alert': 'case renumbered',
    },
    notRegistered: '(not added here)',
    caseRenumbered: (booth: string, filed: string) =>
      `receipt number ${booth} was already another case's: this case was filed as ${filed} (the receipt's number still finds it)`,
    residentRenumbered: (n: string) => `resident number ${n} could not be used: the case got another one`,
  },
};

const UNITS = { zh: ['秒', '分钟', '小时', '天'], en: ['s', 'min', 'h', 'd'] } as const;
const agoIn = (lang: 'zh' | 'en') => (ms: number) => {
  const [s, m, h, d] = UNITS[lang];
  return ms < 60_000
    ? `${Math.round(ms / 1000)} ${s}`
    : ms < 3600_000
      ? `${Math.round(ms / 60_000)} ${m}`
      : ms < 86_400_000
        ? `${(ms / 3600_000).toFixed(1)} ${h}`
        : `${(ms / 86_400_000).toFixed(1)} ${d}`;
};
const gb = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GB`;

/** The intake's alert (intake/store/numbers.ts writes it in technician English) in the page's language. */
function alertText(s: (typeof S)['zh'], a: IntakeAlert): string {
  const moved = /^case number (\S+) was already held by another case: filed as (\S+)/.exec(a.message);
  if (moved) return s.caseRenumbered(moved[1]!, moved[2]!);
  const resident = /^resident number (\S+) /.exec(a.message);
  if (resident) return s.residentRenumbered(resident[1]!);
  return a.message;
}

export function FleetPage() {
  const { lang, t } = useApp();
  const s = S[lang];
  const [fleet, setFleet] = useState<Fleet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [history, setHistory] = useState<{ code: string; h: History } | null>(null);

  const ago = agoIn(lang);
  const load = () => staff.fleet.fleet().then(setFleet, (e: unknown) => setError(errorText(lang, e)));
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 30_000);
    return () => clearInterval(timer);
  }, []);

  async function add(e: FormEvent<HTMLFormElement>) {
    const f = formFields(e);
    try {
      setIssued(await staff.fleet.addBooth({ body: { code: f.get('code'), village: f.get('village'), location: f.get('location') } }));
      setError(null);
      await load();
    } catch (err) {
      setError(errorText(lang, err));
    }
  }

  async function revoke(code: string) {
    if (!confirm(s.confirmRevoke(code))) return;
    await staff.fleet.revokeBooth({ params: { code } }).catch((e: unknown) => setError(errorText(lang, e)));
    await load();
  }

  const now = fleet?.now ?? Date.now();
  const flagDetail = (f: Flag): string =>
    f.kind === 'disk-low' ? s.needs(gb(f.freeBytes), gb(f.needBytes)) : f.kind === 'clock-skew' ? s.skew(ago(Math.abs(f.skewMs))) : '';
  return (
    <section className="fleet">
      <h1>{s.title}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <form className="fleet-add" onSubmit={(e) => void add(e)} aria-label={s.add}>
        <label>
          {s.code} <input name="code" required pattern="[A-Za-z0-9]{2,8}" size={8} />
        </label>
        <label>
          {s.village} <input name="village" required maxLength={60} />
        </label>
        <label>
          {s.location} <input name="location" required maxLength={120} />
        </label>
        <button type="submit">{s.create}</button>
      </form>
      {issued && (
        <div className="fleet-issued" role="status">
          <p>{s.issued(issued.boothCode)}</p>
          <p className="enrol-code" data-testid="enrol-code">
            {issued.enrolmentCode}
          </p>
          <img alt={issued.uri} width={180} height={180} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(issued.qrSvg)}`} />
          <p>
            {s.cmd}{' '}
            <code>
              booth provision --code {issued.enrolmentCode} --intake {new URL(issued.uri).searchParams.get('intake')}
            </code>
          </p>
          <p>
            {s.validUntil} {fmtTime(new Date(issued.expiresAt).toISOString())}
          </p>
          <button type="button" onClick={() => setIssued(null)}>
            {s.close}
          </button>
        </div>
      )}
      <Table
        caption={s.title}
        className="cases fleet-table"
        rows={fleet?.booths ?? null}
        rowKey={(b) => b.code}
        rowProps={(b) => ({ className: b.flags.length ? 'flagged' : undefined, 'data-testid': `booth-${b.code}` })}
        columns={[
          { header: s.code, cell: (b) => <strong>{b.code}</strong> },
          {
            header: `${s.village} · ${s.location}`,
            cell: (b) => (b.village === null ? s.notRegistered : `${b.village} · ${b.location ?? ''}`),
          },
          {
            header: s.flags,
            cell: (b) =>
              b.revokedAt !== null
                ? s.revoked
                : b.enrolledAt === null
                  ? s.notEnrolled
                  : b.flags.length === 0
                    ? s.ok
                    : b.flags.map((f) => (
                        <span key={f.kind} className="flag" title={flagDetail(f)}>
                          {s.flag[f.kind]}
                          {flagDetail(f) ? (lang === 'zh' ? `（${flagDetail(f)}）` : ` (${flagDetail(f)})`) : ''}
                        </span>
                      )),
          },
          { header: s.lastSeen, cell: (b) => (b.lastHeartbeatAt ? `${ago(now - b.lastHeartbeatAt)}` : s.never) },
          { header: s.version, cell: (b) => b.heartbeat?.version ?? '—' },
          { header: s.queue, cell: (b) => b.heartbeat?.queueDepth ?? '—' },
          { header: s.oldest, cell: (b) => (b.heartbeat?.oldestUnsentSec != null ? ago(b.heartbeat.oldestUnsentSec * 1000) : '—') },
          { header: s.disk, cell: (b) => (b.heartbeat ? gb(b.heartbeat.diskFreeBytes) : '—') },
          {
            header: s.devices,
            cell: (b) =>
              b.heartbeat
                ? Object.entries(b.heartbeat.devices).map(([k, v]) => (
                    <span key={k} className={`device device-${v}`}>
                      {s.device[k] ?? k}: {s.deviceState[v] ?? v}
                    </span>
                  ))
                : '—',
          },
          {
            header: s.lastError,
            cell: (b) => {
              const hb = b.heartbeat;
              return (
                <>
                  {hb?.lastError ?? (hb?.alerts.length || b.intakeAlerts.length ? null : '—')}
                  {/* The booth's own alerts, in its words (technician English, like the last error). */}
                  {hb?.alerts.map((a) => (
                    <div key={a} className="booth-alert">
                      ⚠ {a}
                    </div>
                  ))}
                  {b.intakeAlerts.map((a) => (
                    <div key={`${a.createdAt}-${a.message}`} className="booth-alert" data-testid="intake-alert">
                      ⚠ {fmtTime(new Date(a.createdAt).toISOString())} {alertText(s, a)}
                    </div>
                  ))}
                </>
              );
            },
          },
          {
            header: t('actions'),
            hideHeader: true,
            cell: (b) => (
              <>
                <button
                  type="button"
                  onClick={() => void staff.fleet.heartbeats({ params: { code: b.code } }).then((h) => setHistory({ code: b.code, h }))}
                >
                  {s.history}
                </button>{' '}
                {b.revokedAt === null && (
                  <button type="button" onClick={() => void revoke(b.code)}>
                    {s.revoke}
                  </button>
                )}
              </>
            ),
          },
        ]}
      />
      {history && <WeekChart code={history.code} h={history.h} s={s} onClose={() => setHistory(null)} />}
    </section>
  );
}

/** A week by the hour: bar height = the hour's worst queue, red = not heard at all that hour. */
function WeekChart({ code, h, s, onClose }: { code: string; h: History; s: (typeof S)['zh']; onClose: () => void }) {
  const HOUR = 3600_000;
  const ago = agoIn(useApp().lang);
  // Always a whole week, so booths compare at a glance; hours before enrolment stay blank.
  const n = 168;
  const start = h.to - (h.to % HOUR) - (n - 1) * HOUR;
  const byHour = new Map(h.hours.map((x) => [x.hourStart, x]));
  const silent = new Set(h.silentHours);
  const max = Math.max(1, ...h.hours.map((x) => x.maxQueueDepth));
  const W = 4;
  const recent = [...h.hours].reverse().slice(0, 24);
  return (
    <div className="fleet-history" role="region" aria-label={`${code} ${s.history}`}>
      <h2>
        {code} · {s.history}
      </h2>
      <p>{s.heartbeats(h.count, h.silentHours.length)}</p>
      <svg width={n * W} height={60} role="img" aria-label={s.heartbeats(h.count, h.silentHours.length)} className="week-chart">
        {Array.from({ length: n }, (_, i) => {
          const at = start + i * HOUR;
          const row = byHour.get(at);
          if (at + HOUR <= h.from) return null;
          if (silent.has(at)) return <rect key={at} x={i * W} y={0} width={W - 1} height={60} fill="#f4c7c3" />;
          if (!row) return null;
          const bh = Math.max(2, (row.maxQueueDepth / max) * 56);
          return <rect key={at} x={i * W} y={60 - bh} width={W - 1} height={bh} fill="#0b57d0" />;
        })}
      </svg>
      <Table
        caption={`${code} · ${s.history}`}
        rows={recent}
        rowKey={(r) => r.hourStart}
        columns={[
          { header: s.hour, cell: (r) => fmtTime(new Date(r.hourStart).toISOString()) },
          { header: s.count, cell: (r) => r.count },
          { header: s.version, cell: (r) => r.last.version },
          { header: s.queue, cell: (r) => r.maxQueueDepth },
          { header: s.oldest, cell: (r) => (r.last.oldestUnsentSec != null ? ago(r.last.oldestUnsentSec * 1000) : '—') },
          { header: s.disk, cell: (r) => gb(r.last.diskFreeBytes) },
          { header: s.lastError, cell: (r) => r.last.lastError ?? '—' },
        ]}
      />
      <button type="button" onClick={onClose}>
        {s.close}
      </button>
    </div>
  );
}
