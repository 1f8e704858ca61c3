import type { ReactNode } from "react";

/** A page's title, what it shows, and its actions (filters, exports). */
export function PageHeader({
  title,
  id,
  description,
  actions,
}: {
  title: ReactNode;
  /** id of the heading, for aria-labelledby. */
  id: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div className="max-w-3xl space-y-1">
        <h1 id={id} className="text-2xl font-semibold">
          {title}
        </h1>
        {description ? <p className="text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-end gap-3">{actions}</div> : null}
    </div>
  );
}
