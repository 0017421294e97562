// The staff app shell: log in, then a navigation bar of the pages the user's role may open.
// Pages are listed once in pages.tsx (another feature adds its page there, with its permission).
import { useCallback, useEffect, useState } from 'react';
import { ApiError, setCsrf, staff, type Me, type Meta } from './api.ts';
import { AppContext, roleLabel } from './context.tsx';
import { type Lang, translate } from './i18n.ts';
import { PAGES, matchPage } from './pages.tsx';
import { LoginPage } from './pages/Login.tsx';

/** Every role's first page: its home overview (pages/Home.tsx shapes it by role). */
const HOME = '/home';
/** A link to one case (from a notice, a webhook message, a colleague) survives the login; nothing else does. */
const keptAtLogin = (hash: string) => hash.startsWith('/case/');

function useHash(): [string, (h: string) => void] {
  const [hash, setHash] = useState(() => location.hash.slice(1) || HOME);
  useEffect(() => {
    const on = () => setHash(location.hash.slice(1) || HOME);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return [
    hash,
    (h) => {
      location.hash = h;
    },
  ];
}

export function App() {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('sb.lang') === 'en' ? 'en' : 'zh'));
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [hash, go] = useHash();
  const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(lang, k, v);

  const setLang = (l: Lang) => {
    localStorage.setItem('sb.lang', l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = translate(lang, 'appName');
  }, [lang]);

  const loadMe = useCallback(async () => {
    try {
      const m = await staff.session.me();
      setCsrf(m.csrf);
      setMe(m);
      if (m.permissions.includes('case:read')) setMeta(await staff.session.meta());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else throw e;
    }
  }, []);
  useEffect(() => void loadMe(), [loadMe]);

  if (me === undefined) return <p className="loading">{t('loading')}</p>;
  if (me === null) {
    // After a login the app opens on the role's home page (unless the address was a case's).
    const onLogin = async () => {
      if (!keptAtLogin(hash)) go(HOME);
      await loadMe();
    };
    return <LoginPage lang={lang} setLang={setLang} onLogin={onLogin} />;
  }

  const can = (p: string) => me.permissions.includes(p);
  const { page, params } = matchPage(hash);
  const allowed = page && can(page.permission);
  const Page = page?.component;

  return (
    <AppContext.Provider value={{ lang, me, meta, can, go }}>
      <header className="top no-print">
        <strong className="brand">{t('appName')}</strong>
        <nav>
          {PAGES.filter((p) => p.nav && can(p.permission)).map((p) => (
            <a key={p.path} href={`#${p.path}`} className={hash.startsWith(p.path) ? 'active' : ''}>
              {typeof p.label === 'string' ? t(p.label) : p.label[lang]}
            </a>
          ))}
        </nav>
        <span className="who">
          {me.user.displayName} · {roleLabel(lang, me.user.role)}
        </span>
        <button type="button" className="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
        <button type="button" className="link" onClick={() => void staff.session.logout().then(() => setMe(null))}>
          {t('logout')}
        </button>
      </header>
      <main>{Page && allowed ? <Page params={params} /> : <p className="error">{t('forbidden')}</p>}</main>
    </AppContext.Provider>
  );
}
