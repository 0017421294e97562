import { useState } from 'react';
import { ApiError, setCsrf, staff } from '../api.ts';
import { type Lang, translate } from '../i18n.ts';

export function LoginPage({ lang, setLang, onLogin }: { lang: Lang; setLang: (l: Lang) => void; onLogin: () => Promise<void> }) {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await staff.session.login({ body: { username, password } });
      setCsrf(r.csrf);
      await onLogin();
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'too_many' ? t('locked') : t('loginFailed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="login" onSubmit={(e) => void submit(e)}>
      <h1>{t('appName')}</h1>
      <label>
        {t('username')}
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        {t('password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('login')}
      </button>
      <button type="button" className="link" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
        {t('language')}
      </button>
    </form>
  );
}
