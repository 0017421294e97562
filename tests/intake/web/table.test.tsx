// The staff app's one table (intake/web/Table.tsx), rendered to HTML with React's server renderer:
// the caption names it, every header has scope="col", an actions column is named for screen readers
// only, row attributes (class, test id, a keyboard-operable click) reach the row, and no rows say so
// in the page's language (loading, or the given / default empty text) instead of an empty table.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AppContext, type AppState } from '../../../intake/web/context.tsx';
import { Table, type TableProps } from '../../../intake/web/Table.tsx';
import type { Lang } from '../../../intake/web/i18n.ts';

type Row = { id: string; name: string; late: boolean };
const ROWS: Row[] = [
  { id: 'a', name: '路灯不亮', late: true },
  { id: 'b', name: '积水', late: false },
];

function html(lang: Lang, props: Partial<TableProps<Row>> = {}): string {
  const app = { lang, me: null, meta: null, can: () => true, go: () => undefined } as unknown as AppState;
  return renderToStaticMarkup(
    <AppContext.Provider value={app}>
      <Table<Row>
        caption="工单"
        rows={ROWS}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ className: r.late ? 'overdue' : undefined, 'data-testid': `row-${r.id}`, tabIndex: 0 })}
        columns={[
          { header: '诉求内容', className: 'summary', cell: (r) => r.name },
          false,
          { header: '操作', hideHeader: true, cell: (r) => <button type="button">{r.id}</button> },
        ]}
        {...props}
      />
    </AppContext.Provider>,
  );
}

describe('Table', () => {
  it('has a caption, column headers with scope, a named actions column and the rows with their attributes', () => {
    const h = html('zh');
    expect(h).toContain('<caption class="visually-hidden">工单</caption>');
    expect(h.match(/<th scope="col">/g)).toHaveLength(2); // the false column is left out
    expect(h).toContain('<th scope="col"><span class="visually-hidden">操作</span></th>');
    expect(h).toContain('<tr class="overdue" data-testid="row-a" tabindex="0">');
    expect(h).toContain('<tr data-testid="row-b" tabindex="0">'); // no empty class attribute
    expect(h).toContain('<td class="summary">路灯不亮</td>');
    expect(html('zh', { showCaption: true })).toContain('<caption>工单</caption>');
  });

  it('says "loading" or "nothing" in the page language instead of an empty table', () => {
    expect(html('zh', { rows: null })).toBe('<p class="table-state">加载中…</p>');
    expect(html('en', { rows: null })).toBe('<p class="table-state">Loading…</p>');
    expect(html('zh', { rows: [] })).toBe('<p class="table-state empty">没有记录</p>');
    expect(html('en', { rows: [] })).toBe('<p class="table-state empty">Nothing to show</p>');
    expect(html('zh', { rows: [], empty: '没有符合条件的工单' })).toBe('<p class="table-state empty">没有符合条件的工单</p>');
  });
});
