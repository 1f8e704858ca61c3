import type { ReactNode } from "react";

/** What a page shows when there is nothing yet, with what to do about it. */
export function EmptyState({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div
      className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600"
      data-testid={testId}
    >
      {children}
    </div>
  );
}

/** An error said plainly (role="alert": read out when it appears). */
export function ErrorNotice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
      data-testid={testId}
    >
      {children}
    </div>
  );
}

/** A success or status message (role="status": announced politely). */
export function StatusNotice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div
      role="status"
      className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900"
      data-testid={testId}
    >
      {children}
    </div>
  );
}
