import os from "node:os";

/** Percentile (nearest-rank) of a list of numbers; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: [string, string | number][]): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${typeof v === "number" ? round(v) : v}`);
}

export function round(v: number, digits = 2): number {
  return Number.isFinite(v) ? Number(v.toFixed(digits)) : v;
}

/** `--name value` / `--flag` arguments. */
export function args(argv = process.argv.slice(2)): {
  json: boolean;
  get(name: string, def: number): number;
} {
  return {
    json: argv.includes("--json"),
    get(name, def) {
      const i = argv.indexOf(`--${name}`);
      if (i < 0) return def;
      const v = Number(argv[i + 1]);
      if (!Number.isFinite(v) || v <= 0)
        throw new Error(`--${name} needs a positive number, got "${argv[i + 1]}"`);
      return v;
    },
  };
}

export function machine(): { cpus: number; cpuModel: string; node: string } {
  return { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? "?", node: process.version };
}
