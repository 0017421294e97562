// The staff app's one table (issue 13): every page that lists rows gives its columns and rows here
// instead of writing <table> markup by hand, so every list has the same parts — a caption that
// names it for screen readers, column headers with scope, a loading line, and an empty state in the
// page's language — and looks the same.
import type { HTMLAttributes, ReactNode } from 'react';
import { useApp } from './context.tsx';

export interface Column<R> {
  /** The header text; for a column of buttons give its name anyway, with `hideHeader`. */
  header: ReactNode;
  cell: (row: R) => ReactNode;
  /** A class for the column's cells ('summary', 'rank', …), or one per row. */
  className?: string | ((row: R) => string | undefined);
  /** The header is read by screen readers but not shown (a column of actions). */
  hideHeader?: boolean;
}

export interface TableProps<R> {
  /** What the table lists: the caption screen readers announce; shown only with `showCaption`. */
  caption: string;
  showCaption?: boolean;
  /** The columns; a false entry is a column this user or this view does not have. */
  columns: readonly (Column<R> | false)[];
  /** null: still loading. */
  rows: readonly R[] | null;
  rowKey: (row: R) => string | number;
  /** Said instead of an empty table (default: 没有记录 / Nothing to show). */
  empty?: string;
  /** The table's class (default 'cases', the app's list style). */
  className?: string;
  /** A row's attributes: its class ('overdue', 'unread', …), test id, or a click that opens it (then give it tabIndex and onKeyDown too). */
  rowProps?: (row: R) => HTMLAttributes<HTMLTableRowElement> & { 'data-testid'?: string };
  /** Rows after the body (totals). */
  footer?: ReactNode;
}

export function Table<R>({ caption, showCaption, columns, rows, rowKey, empty, className = 'cases', rowProps, footer }: TableProps<R>) {
  const { t } = useApp();
  if (rows === null) return <p className="table-state">{t('loading')}</p>;
  if (rows.length === 0) return <p className="table-state empty">{empty ?? t('noRows')}</p>;
  const cols = columns.filter((c): c is Column<R> => c !== false);
  return (
    <table className={className}>
      <caption className={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
      <thead>
        <tr>
          {cols.map((c, i) => (
            <th key={i} scope="col">
              {c.hideHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)} {...rowProps?.(r)}>
            {cols.map((c, i) => (
              <td key={i} className={typeof c.className === 'function' ? c.className(r) : c.className}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {footer && <tfoot>{footer}</tfoot>}
    </table>
  );
}
