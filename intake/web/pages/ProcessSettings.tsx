// 流程设置 (issue 15), for admins: the 签收 time in working hours and the office hours it counts in,
// the notice webhook's format (plain JSON, WeCom or DingTalk group robot, DingTalk 加签 secret), and
// the named owner of each 渐次升级 level, per territory or for all. Saved through the settings API
// (audited there with before and after).
import { useCallback, useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { Settings } from '../../../contract/staff/admin.ts';
import { errorText, useApp } from '../context.tsx';
import { formFields } from '../form.ts';
import { levelKey } from './CaseProcess.tsx';

type S = Answer<'admin', 'settings'>['settings'];
type Owner = S['escalationOwners'][number];
type User = Answer<'admin', 'users'>['users'][number];

export function ProcessSettings() {
  const { t, lang } = useApp();
  const [s, setS] = useState<S | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [owners, setOwners] = useState<Owner[]>([]);
  const [msg, setMsg] = useState<string | null>(null);
  const load = useCallback(async () => {
    const got = (await staff.admin.settings()).settings;
    setS(got);
    setOwners(got.escalationOwners);
    setUsers((await staff.admin.users()).users.filter((u) => u.active));
  }, []);
  useEffect(() => void load(), [load]);
  if (!s) return <p>{t('loading')}</p>;
  const save = async (e: React.FormEvent<HTMLFormElement>) => {
    const v = formFields(e);
    setMsg(null);
    try {
      await staff.admin.changeSettings({
        body: {
          ackWorkHours: Number(v.get('ackWorkHours')),
          workdayStart: v.get('workdayStart'),
          workdayEnd: v.get('workdayEnd'),
          webhookFormat: Settings.shape.webhookFormat.parse(v.get('webhookFormat')),
          dingtalkSecret: v.get('dingtalkSecret'),
          escalationOwners: owners.filter((o) => o.userId),
        },
      });
      setMsg(t('saved'));
      await load();
    } catch (err) {
      setMsg(errorText(lang, err));
    }
  };
  const setOwner = (i: number, patch: Partial<Owner>) => setOwners(owners.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  return (
    <section className="process-settings">
      <h1>{t('navProcessSettings')}</h1>
      {msg && (
        <p className="msg" role="status">
          {msg}
        </p>
      )}
      <p className="help">{t('processHelp')}</p>
      <form className="settings" onSubmit={(e) => void save(e)}>
        <label>
          {t('ackWorkHours')}
          <input name="ackWorkHours" type="number" min={0.5} max={72} step={0.5} defaultValue={s.ackWorkHours} required />
        </label>
        <label>
          {t('workdayStart')}
          <input name="workdayStart" type="time" defaultValue={s.workdayStart} required />
        </label>
        <label>
          {t('workdayEnd')}
          <input name="workdayEnd" type="time" defaultValue={s.workdayEnd} required />
        </label>
        <label>
          {t('webhookFormat')}
          <select name="webhookFormat" defaultValue={s.webhookFormat}>
            {(['json', 'wecom', 'dingtalk'] as const).map((f) => (
              <option key={f} value={f}>
                {t(`format_${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dingtalkSecret')}
          <input name="dingtalkSecret" defaultValue={s.dingtalkSecret} autoComplete="off" />
        </label>
        <h2>{t('escalationOwners')}</h2>
        <table className="cases owners">
          <thead>
            <tr>
              <th>{t('level')}</th>
              <th>{t('territory')}</th>
              <th>{t('owner')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {owners.map((o, i) => (
              <tr key={i}>
                <td>
                  <select
                    aria-label={`${t('level')} ${i + 1}`}
                    value={o.level}
                    onChange={(e) => setOwner(i, { level: Number(e.target.value) })}
                  >
                    {[0, 1, 2, 3].map((l) => (
                      <option key={l} value={l}>
                        {t(levelKey(l))}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    aria-label={`${t('territory')} ${i + 1}`}
                    value={o.territory}
                    onChange={(e) => setOwner(i, { territory: e.target.value })}
                  >
                    <option value="">{t('anyTerritory')}</option>
                    {s.territories.map((x) => (
                      <option key={x} value={x}>
                        {x}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select aria-label={`${t('owner')} ${i + 1}`} value={o.userId} onChange={(e) => setOwner(i, { userId: e.target.value })}>
                    <option value="">—</option>
                    {users.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.display_name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="link" onClick={() => setOwners(owners.filter((_, j) => j !== i))}>
                    {t('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="button"
          onClick={() =>
            setOwners([
              ...owners,
              { level: owners.length ? Math.min(3, owners[owners.length - 1]!.level + 1) : 0, userId: '', territory: '' },
            ])
          }
        >
          {t('addOwner')}
        </button>
        <p>
          <button type="submit">{t('save')}</button>
        </p>
      </form>
    </section>
  );
}
