// The staff app reaches the intake only through its typed client: a page that calls fetch (bare,
// window., globalThis.), XMLHttpRequest or EventSource, or writes a staff API or media path, fails
// lint (eslint.config.js); the client module itself may fetch. api.ts exports no untyped call.
// Each probe is linted with ESLint's API as if it were a page (lintText with a page's path).
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import * as api from '../../../intake/web/api.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });
const RULES = ['no-restricted-globals', 'no-restricted-properties', 'no-restricted-syntax'];

async function refusals(code: string, file = 'intake/web/pages/Probe.tsx'): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, file) });
  expect(r!.messages.filter((m) => m.fatal)).toEqual([]);
  return r!.messages.filter((m) => RULES.includes(m.ruleId ?? '')).map((m) => m.ruleId!);
}

describe('the staff app calls the intake through its typed client only', () => {
  it('refuses fetch, XMLHttpRequest, EventSource and written staff paths in a page', async () => {
    const forbidden = [
      "export const a = fetch('/x');\n",
      "export const a = window.fetch('/x');\n",
      "export const a = globalThis.fetch('/x');\n",
      'export const a = new XMLHttpRequest();\n',
      "export const a = new EventSource('/x');\n",
      "export const a = '/staff/api/cases';\n",
      'export const a = (id: string) => `/staff/api/cases/${id}`;\n',
      "export const a = '/staff/media/1/0/original';\n",
    ];
    for (const code of forbidden) expect(await refusals(code), code).toHaveLength(1);
  }, 60_000);

  it('lets a page call staff.* and link with href(), and lets api.ts fetch', async () => {
    const page = [
      "import { href, staff } from '../api.ts';",
      "import { staffApi } from '../../../contract/staff/index.ts';",
      "export const a = () => staff.cases.get({ params: { id: 'x' } });",
      'export const b = href(staffApi.reports.auditCsv);',
      "export const c = '/staff/';",
      '',
    ].join('\n');
    expect(await refusals(page)).toEqual([]);
    expect(await refusals("export const a = fetch('/staff/api/me');\n", 'intake/web/api.ts')).toEqual([]);
  }, 60_000);

  it('api.ts exports the typed client and no untyped call', () => {
    expect(Object.keys(api).sort()).toEqual(['ApiError', 'href', 'setCsrf', 'staff']);
    expect(Object.keys(api.staff).sort()).toEqual(
      ['admin', 'attachments', 'cases', 'fleet', 'home', 'partners', 'process', 'ranking', 'repeats', 'reports', 'session'].sort(),
    );
  });
});
