// The frame around every screen but the start screen: 返回 on the left, the title, the language
// toggle and 回到首页 on the right. Big, always in the same place.
import type { ReactNode } from 'react';
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';

export function LangToggle() {
  const { t, lang, setLang } = useFlow();
  return (
    <button
      type="button"
      className="btn btn-lang"
      aria-label={t.langToggleName}
      lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}
      onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      <Icon name="globe" /> {t.langToggle}
    </button>
  );
}

export function Frame({
  title,
  children,
  back = true,
  home = true,
  className = '',
}: {
  title: string;
  children: ReactNode;
  back?: boolean;
  home?: boolean;
  className?: string;
}) {
  const { t, dispatch } = useFlow();
  return (
    <main className={`screen ${className}`}>
      <header className="bar">
        <div className="bar-side">
          {back && (
            <button type="button" className="btn btn-quiet" onClick={() => dispatch({ type: 'BACK' })}>
              <Icon name="back" /> {t.back}
            </button>
          )}
        </div>
        <h1 className="bar-title">{title}</h1>
        <div className="bar-side bar-right">
          <LangToggle />
          {home && (
            <button type="button" className="btn btn-quiet" onClick={() => dispatch({ type: 'ASK', ask: { action: 'home' } })}>
              <Icon name="home" /> {t.home}
            </button>
          )}
        </div>
      </header>
      {children}
    </main>
  );
}
