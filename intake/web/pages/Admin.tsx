// Admin: accounts and their units, handling units, settings (list window, meeting, webhook,
// categories, territories) and the working calendar (holidays, 调休 days, confirming a year).
import { useCallback, useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { CalendarOverride } from '../../../contract/staff/admin.ts';
import { Role, ROLES } from '../../../contract/staff/session.ts';
import { errorText, roleLabel, useApp } from '../context.tsx';
import type { Key } from '../i18n.ts';
import { sep } from '../format.ts';
import { formFields } from '../form.ts';
import { Table } from '../Table.tsx';

type User = Answer<'admin', 'users'>['users'][number];
type Unit = Answer<'admin', 'units'>['units'][number];
type Settings = Answer<'admin', 'settings'>['settings'];
type Calendar = Answer<'admin', 'calendar'>;
type CategoryEntry = Settings['categories'][number];

const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
/** One category a line: "code | 名称 | 居民简称 | English" (the code stays when names change). */
const categoryLines = (l: CategoryEntry[]) => l.map((c) => [c.code, c.name, c.short, c.shortEn].join(' | ')).join('\n');
const parseCategories = (v: string): CategoryEntry[] =>
  lines(v).map((line) => {
    const [code = '', name = '', short = '', shortEn = ''] = line.split('|').map((x) => x.trim());
    return { code, name, short: short || name, shortEn };
  });

export function Admin() {
  const { t, lang } = useApp();
  const [users, setUsers] = useState<User[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [cal, setCal] = useState<Calendar | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const load = useCallback(async () => {
    setUsers((await staff.admin.users()).users);
    setUnits((await staff.admin.units()).units);
    setSettings((await staff.admin.settings()).settings);
    setCal(await staff.admin.calendar());
  }, []);
  useEffect(() => void load(), [load]);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setMsg(t('saved'));
      await load();
    } catch (e) {
      setMsg(errorText(lang, e));
    }
  };

  return (
    <section className="admin">
      {msg && (
        <p className="msg" role="status">
          {msg}
        </p>
      )}
      <h2>{t('users')}</h2>
      <Table
        caption={t('users')}
        rows={users}
        rowKey={(u) => u.id}
        rowProps={(u) => ({ className: u.active ? undefined : 'inactive' })}
        columns={[
          { header: t('username'), cell: (u) => u.username },
          { header: t('displayName'), cell: (u) => u.display_name },
          {
            header: t('role'),
            cell: (u) => (
              <select
                key={`${u.id}-${u.role}`}
                defaultValue={u.role}
                aria-label={`${t('role')} ${u.username}`}
                onChange={(e) => {
                  const role = Role.parse(e.target.value);
                  // A role change is confirmed, then the server ends the user's sessions (they log in again with the new role).
                  if (
                    !window.confirm(t('roleConfirm', { u: u.display_name, a: t(`role_${u.role}` as Key), b: t(`role_${role}` as Key) }))
                  ) {
                    e.target.value = u.role;
                    return;
                  }
                  void run(() => staff.admin.changeUser({ params: { id: u.id }, body: { role, confirmRoleChange: true } }));
                }}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role_${r}` as Key)}
                  </option>
                ))}
              </select>
            ),
          },
          { header: t('units'), cell: (u) => u.unitIds.map((id) => units.find((x) => x.id === id)?.name).join(sep(lang)) || '—' },
          {
            header: t('actions'),
            hideHeader: true,
            cell: (u) => (
              <button
                type="button"
                className="link"
                onClick={() => void run(() => staff.admin.changeUser({ params: { id: u.id }, body: { active: !u.active } }))}
              >
                {u.active ? t('disable') : t('enable')}
              </button>
            ),
          },
        ]}
      />
      <form
        className="inline"
        onSubmit={(e) => {
          const f = formFields(e);
          void run(() =>
            staff.admin.createUser({
              body: {
                username: f.get('username'),
                displayName: f.get('displayName'),
                role: Role.parse(f.get('role')),
                password: f.get('password'),
                unitIds: f.getAll('unitIds'),
              },
            }),
          );
        }}
      >
        <input name="username" placeholder={t('username')} required />
        <input name="displayName" placeholder={t('displayName')} required />
        <select name="role">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(lang, r)}
            </option>
          ))}
        </select>
        <select name="unitIds" multiple size={2}>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <input name="password" type="password" placeholder={t('password')} autoComplete="new-password" required minLength={10} />
        <button type="submit">{t('addUser')}</button>
      </form>

      <h2>{t('units')}</h2>
      <p>{units.map((u) => u.name).join(sep(lang)) || '—'}</p>
      <form
        className="inline"
        onSubmit={(e) => {
          const f = formFields(e);
          void run(() => staff.admin.createUnit({ body: { name: f.get('name') } }));
        }}
      >
        <input name="name" placeholder={t('unit')} required />
        <button type="submit">{t('addUnit')}</button>
      </form>

      {settings && (
        <>
          <h2>{t('settings')}</h2>
          <form
            className="edit"
            onSubmit={(e) => {
              const f = formFields(e);
              void run(() =>
                staff.admin.changeSettings({
                  body: {
                    listCutoff: f.get('listCutoff'),
                    meetingTime: f.get('meetingTime'),
                    reminderTime: f.get('reminderTime'),
                    webhookUrl: f.get('webhookUrl'),
                    dispatchWorkdays: Number(f.get('dispatchWorkdays')),
                    recurThreshold: Number(f.get('recurThreshold')),
                    recurDays: Number(f.get('recurDays')),
                    categories: parseCategories(f.get('categories')),
                    territories: lines(f.get('territories')),
                  },
                }),
              );
            }}
          >
            <label>
              {t('listCutoff')}
              <input name="listCutoff" type="time" defaultValue={settings.listCutoff} />
            </label>
            <label>
              {t('meetingTime')}
              <input name="meetingTime" type="time" defaultValue={settings.meetingTime} />
            </label>
            <label>
              {t('reminderTime')}
              <input name="reminderTime" type="time" defaultValue={settings.reminderTime} />
            </label>
            <label>
              {t('dispatchWorkdays')}
              <input name="dispatchWorkdays" type="number" min={0} max={5} defaultValue={settings.dispatchWorkdays} />
            </label>
            <label>
              {t('webhookUrl')}
              <input name="webhookUrl" type="url" defaultValue={settings.webhookUrl} />
            </label>
            <label>
              {t('recurN')}
              <input name="recurThreshold" type="number" min={2} defaultValue={settings.recurThreshold} />
            </label>
            <label>
              {t('days')}
              <input name="recurDays" type="number" min={1} defaultValue={settings.recurDays} />
            </label>
            <label>
              {t('categories')}
              <textarea name="categories" rows={8} defaultValue={categoryLines(settings.categories)} />
              <small>{t('categoriesHelp')}</small>
            </label>
            <label>
              {t('territories')}
              <textarea name="territories" rows={5} defaultValue={settings.territories.join('\n')} />
            </label>
            <button type="submit">{t('save')}</button>
          </form>
        </>
      )}

      {cal && (
        <>
          <h2>{t('calendar')}</h2>
          <ul>
            {cal.years.map((y) => (
              <li key={y.year}>
                {t('yearStatus', { y: y.year, s: t(y.status as 'official') })}
                {y.status !== 'official' && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => void run(() => staff.admin.changeCalendar({ body: { confirmYears: [y.year] } }))}
                  >
                    {t('confirmYear', { y: y.year })}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <Table
            caption={t('calendar')}
            rows={cal.overrides}
            rowKey={(o) => o.date}
            columns={[
              { header: t('date'), cell: (o) => o.date },
              { header: t('kind'), cell: (o) => t(o.kind === 'workday' ? 'workdayKind' : o.kind === 'holiday' ? 'holiday' : 'normal') },
              { header: t('dayName'), cell: (o) => o.name },
              { header: t('user'), cell: (o) => o.updated_by },
            ]}
          />
          <form
            className="inline"
            onSubmit={(e) => {
              const f = formFields(e);
              void run(() =>
                staff.admin.changeCalendar({
                  body: {
                    overrides: [{ date: f.get('date'), kind: CalendarOverride.shape.kind.parse(f.get('kind')), name: f.get('name') }],
                  },
                }),
              );
            }}
          >
            <input name="date" type="date" required />
            <select name="kind">
              <option value="holiday">{t('holiday')}</option>
              <option value="workday">{t('workdayKind')}</option>
              <option value="normal">{t('normal')}</option>
            </select>
            <input name="name" placeholder={t('holidayName')} />
            <button type="submit">{t('save')}</button>
          </form>
        </>
      )}
    </section>
  );
}
