import { Fragment, type ReactNode } from "react";
import { table as tableClass, th } from "../../lib/classes";
import { scrollTableClass, TableScroll } from "./table-scroll";

/** A column header. */
export interface Column {
  label: ReactNode;
  /** Read out by screen readers, not shown (e.g. "Actions" over a column of buttons). */
  srOnly?: boolean;
  /** Extra classes of the header cell (e.g. `text-right` over numbers). */
  className?: string;
}

/** Classes of a body row: a hairline between rows. */
export const rowClass = "border-t border-slate-100";

/**
 * A table of `rows`: an optional screen-reader caption, one header row of `columns`, and one body row per
 * item from `renderRow` (which returns the `<tr>`, so each row keeps its own attributes and test ids).
 * With no rows it shows `empty` instead, when given; otherwise the header alone. With `scrollLabel` the table
 * scrolls sideways in a {@link TableScroll} frame of that name (first column sticky) instead of widening a
 * phone's page.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  renderRow,
  caption,
  empty,
  scrollLabel,
  className = scrollLabel ? scrollTableClass : tableClass,
  headClassName = "bg-slate-100 text-slate-600",
  testId,
}: {
  columns: readonly Column[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  renderRow: (row: T, index: number) => ReactNode;
  caption?: ReactNode;
  empty?: ReactNode;
  /** Scroll inside a labelled frame (for tables wider than a phone). */
  scrollLabel?: string;
  className?: string;
  headClassName?: string;
  testId?: string;
}) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const table = (
    <table className={className} data-testid={testId}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className={headClassName}>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" className={c.className ? `${th} ${c.className}` : th}>
              {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <Fragment key={rowKey(row, i)}>{renderRow(row, i)}</Fragment>
        ))}
      </tbody>
    </table>
  );
  return scrollLabel ? <TableScroll label={scrollLabel}>{table}</TableScroll> : table;
}
