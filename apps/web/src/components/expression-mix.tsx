import { EXPRESSIONS, type Expression } from "@shelf/core";

const COLOR: Record<Expression, string> = {
  angry: "bg-angry",
  disgust: "bg-disgust",
  fear: "bg-fear",
  happy: "bg-happy",
  sad: "bg-sad",
  surprise: "bg-surprise",
  neutral: "bg-neutral",
};

/** A stacked bar of the expression mix, with a text equivalent for screen readers. */
export function ExpressionMix({ mix }: { mix: Record<Expression, number> }) {
  const label = EXPRESSIONS.filter((e) => mix[e] > 0)
    .map((e) => `${e} ${Math.round(mix[e] * 100)}%`)
    .join(", ");
  return (
    <div
      className="flex h-3 w-56 overflow-hidden rounded bg-slate-100"
      role="img"
      aria-label={label}
      title={label}
    >
      {EXPRESSIONS.map((e) =>
        mix[e] > 0 ? <div key={e} className={COLOR[e]} style={{ width: `${mix[e] * 100}%` }} /> : null,
      )}
    </div>
  );
}

export function ExpressionLegend() {
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-slate-600">
      {EXPRESSIONS.map((e) => (
        <li key={e} className="flex items-center gap-1">
          <span className={`inline-block h-2.5 w-2.5 rounded-sm ${COLOR[e]}`} aria-hidden />
          {e}
        </li>
      ))}
    </ul>
  );
}
