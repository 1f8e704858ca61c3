import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { InferenceError } from "../errors.ts";
import type { InferenceLogger } from "../runtime.ts";

/** Bad command line: printed with the usage text, exit code 2. */
export class CliUsageError extends Error {}

/**
 * Parses `argv` with node's strict parser (unknown flags are errors), then validates and coerces the
 * values with `schema`.
 *
 * @throws CliUsageError naming the offending flag.
 */
export function parseCliArgs<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
): z.infer<S> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success)
    throw new CliUsageError(
      parsed.error.issues.map((i) => `--${i.path.join(".") || "?"}: ${i.message}`).join("\n"),
    );
  return parsed.data;
}

/** A string flag holding a number, validated by `inner`. */
export function numberFlag<T extends z.ZodNumber>(inner: T) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, "must be a number")
    .transform(Number)
    .pipe(inner);
}

/** Progress and backend messages go to stderr, so that stdout holds only the table or the JSON. */
export const stderrLogger: InferenceLogger = {
  info: (msg) => process.stderr.write(`${msg}\n`),
  warn: (msg) => process.stderr.write(`warning: ${msg}\n`),
};

/**
 * Runs a CLI's main function: usage errors print the usage and exit 2, expected errors (bad data, bad
 * config) print one line and exit 1; anything else prints its stack and exits 1. Always exits
 * explicitly: tfjs's wasm runtime installs process handlers that would otherwise rethrow.
 */
export async function runCli(usage: string, main: () => Promise<void>): Promise<void> {
  // Some libraries print notices with console.log; keep stdout for the result only.
  console.log = console.error;
  try {
    await main();
    process.exit(0);
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`error: ${err.message}\n\n${usage}\n`);
      process.exit(2);
    }
    if (err instanceof InferenceError) process.stderr.write(`error: ${err.message}\n`);
    else process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}

/** Writes the result: JSON (2-space indented) or the human-readable text. */
export function emit(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** A plain-text table with right-aligned numeric columns. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const numeric = headers.map((_, c) =>
    rows.every((r) => typeof r[c] === "number" || /^[\d.\-%]*$/.test(String(r[c] ?? ""))),
  );
  const line = (r: readonly string[]) =>
    r
      .map((v, c) => (numeric[c] ? v.padStart(widths[c]!) : v.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join(
    "\n",
  );
}

export function pct(v: number, digits = 1): string {
  return `${(v * 100).toFixed(digits)}%`;
}

/**
 * A path the user typed, made absolute against the directory they ran npm from: `npm run -w` starts
 * the script in the package folder, but `--data ../shared/datasets/…` was typed in the user's folder.
 */
export function userPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}
