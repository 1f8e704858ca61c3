import { z } from "zod";

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, and bidi overrides/isolates. None belongs in
 * a name, and each can change what a name shows or does elsewhere: a newline splits a CSV cell's first line
 * from a formula behind it, bidi controls make "gpj.exe" read as "exe.jpg".
 */
const FORBIDDEN_IN_NAMES = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** The refinement itself, for schemas that build their own string. */
export function hasNoControlCharacters(value: string): boolean {
  return !FORBIDDEN_IN_NAMES.test(value);
}

export const NO_CONTROL_CHARACTERS_MESSAGE = "must not contain control characters (tabs, line breaks, …)";

/**
 * A name people type and others read (store, floor plan, zone, product, camera, person): trimmed, 1–`max`
 * characters, no control characters. Default max 100.
 */
export function ZDisplayName(max = 100) {
  return z.string().trim().min(1).max(max).refine(hasNoControlCharacters, NO_CONTROL_CHARACTERS_MESSAGE);
}
