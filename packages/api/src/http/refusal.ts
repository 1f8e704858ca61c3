import { TRPCError } from "@trpc/server";

/** The HTTP status of each tRPC refusal a route handler may pass on (anything else is a server error). */
const HTTP_STATUS: Partial<Record<TRPCError["code"], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TOO_MANY_REQUESTS: 429,
};

/**
 * For route handlers that call procedures through `createCaller`: a refused call (signed out, wrong role,
 * unknown store, bad input) as a plain-text response with its status, or null for any other error (rethrow
 * it). `badRequestAs404` answers a malformed id like an unknown one (no probing by shape).
 */
export function refusalResponse(
  err: unknown,
  options: { badRequestAs404?: boolean; headers?: Record<string, string> } = {},
): Response | null {
  if (!(err instanceof TRPCError)) return null;
  const status = err.code === "BAD_REQUEST" && options.badRequestAs404 ? 404 : HTTP_STATUS[err.code];
  if (!status) return null;
  return new Response(status === 404 && err.code === "BAD_REQUEST" ? "not found" : err.message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...options.headers },
  });
}
