/** Shared Tailwind classes for controls (visible focus everywhere). */
export const focusRing =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-500";
export const button = `inline-flex items-center justify-center rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-50 ${focusRing}`;
export const secondaryButton = `inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50 ${focusRing}`;
export const dangerButton = `inline-flex items-center justify-center rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50 ${focusRing}`;
export const input = `rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 ${focusRing}`;
export const label = "flex flex-col gap-1 text-xs font-medium text-slate-600";
export const table = "w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm";
export const th = "px-3 py-2 text-left font-medium";
export const td = "px-3 py-2";
export const link = `font-medium text-slate-900 underline decoration-slate-300 underline-offset-2 hover:decoration-slate-900 ${focusRing}`;
