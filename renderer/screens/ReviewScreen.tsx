import { useEffect, useState } from 'react';
import type { Dictionary } from '../i18n/index.ts';

export function ReviewScreen({ t, recording, onRedo, onUpload }: { t: Dictionary; recording: Blob; onRedo: () => void; onUpload: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const u = URL.createObjectURL(recording);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [recording]);
  return (
    <main className="screen review">
      <h2>{t.review}</h2>
      {url && <video className="playback" src={url} controls playsInline aria-label={t.review} />}
      <div className="actions">
        <button type="button" className="big" onClick={onRedo}>
          {t.redo}
        </button>
        <button type="button" className="big primary" onClick={onUpload}>
          {t.upload}
        </button>
      </div>
    </main>
  );
}
