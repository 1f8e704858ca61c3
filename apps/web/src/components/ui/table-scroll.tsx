import type { ReactNode } from "react";

/** Classes of a table inside {@link TableScroll} (the frame draws the border and the corners). */
export const scrollTableClass = "w-full min-w-max bg-white text-sm";

/**
 * A wide table on a narrow screen: the table scrolls sideways inside its own frame instead of widening the
 * page, and (with `stickyFirst`, the default) its first column — the row's name — stays in view while it
 * does. Keyboard users can focus the frame and scroll it with the arrow keys; it is labelled for screen
 * readers by `label`.
 */
export function TableScroll({
  children,
  label,
  stickyFirst = true,
  testId,
}: {
  children: ReactNode;
  label: string;
  stickyFirst?: boolean;
  testId?: string;
}) {
  const sticky = stickyFirst
    ? "[&_tr>*:first-child]:sticky [&_tr>*:first-child]:left-0 [&_tr>*:first-child]:z-10 [&_tbody_tr>*:first-child]:bg-white [&_thead_tr>*:first-child]:bg-slate-100 [&_tr>*:first-child]:shadow-[1px_0_0_var(--color-slate-200)]"
    : "";
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      data-testid={testId}
      className={`max-w-full overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-500 ${sticky}`}
    >
      {children}
    </div>
  );
}
