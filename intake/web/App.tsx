// Staff app (skeleton): the newest cases with their media, refreshed every few seconds.
import { useEffect, useState } from 'react';

interface StaffItem {
  idx: number;
  kind: string;
  mime: string;
  durationSec: number | null;
  playbackState: string;
  originalUrl: string;
  playbackUrl: string | null;
  posterUrl: string | null;
}
interface StaffCase {
  id: string;
  caseNumber: string;
  boothCode: string;
  receivedAt: string;
  status: string;
  items: StaffItem[];
}

const STATUS_ZH: Record<string, string> = { new: '新收到' };

function Media({ item }: { item: StaffItem }) {
  if (item.playbackState === 'pending') return <p className="pending">正在准备播放…</p>;
  if (!item.playbackUrl) return <p className="failed">无法播放（原始文件已保存）</p>;
  if (item.kind === 'video') return <video controls preload="metadata" src={item.playbackUrl} poster={item.posterUrl ?? undefined} aria-label={`录像 ${item.idx + 1}`} />;
  if (item.kind === 'audio') return <audio controls preload="metadata" src={item.playbackUrl} aria-label={`录音 ${item.idx + 1}`} />;
  return <img src={item.playbackUrl} alt={`照片 ${item.idx + 1}`} />;
}

export function App() {
  const [cases, setCases] = useState<StaffCase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    const load = () =>
      fetch('/staff/api/cases?limit=50')
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
        .then((body: { cases: StaffCase[] }) => !stop && (setCases(body.cases), setError(null)))
        .catch((e: Error) => !stop && setError(e.message));
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);
  return (
    <main>
      <h1>说吧 · 收到的反映</h1>
      {error && <p role="alert">加载失败：{error}</p>}
      {cases?.length === 0 && <p>还没有收到反映。</p>}
      <ul className="cases">
        {cases?.map((c) => (
          <li key={c.id} className="case" data-case-number={c.caseNumber}>
            <h2>{c.caseNumber}</h2>
            <p>
              {new Date(c.receivedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} · {c.boothCode} · {STATUS_ZH[c.status] ?? c.status}
            </p>
            {c.items.map((it) => (
              <Media key={it.idx} item={it} />
            ))}
          </li>
        ))}
      </ul>
    </main>
  );
}
