import type { Dictionary } from '../i18n/index.ts';
import { VideoIcon } from '../icons.tsx';

export function StartScreen({ t, onVideo, onToggleLanguage }: { t: Dictionary; onVideo: () => void; onToggleLanguage: () => void }) {
  return (
    <main className="screen start">
      <header className="top">
        <h1>{t.appName}</h1>
        <button type="button" className="lang" onClick={onToggleLanguage}>
          {t.language}
        </button>
      </header>
      <p className="tagline">{t.tagline}</p>
      <div className="choices">
        <button type="button" className="huge video" onClick={onVideo} aria-describedby="video-hint">
          <VideoIcon />
          <span>{t.startVideo}</span>
        </button>
      </div>
      <p id="video-hint" className="hint">{t.startVideoHint}</p>
    </main>
  );
}
