import { FIXTURE_PASSWORD } from "./web-fixtures.ts";

/**
 * Talking to the running web app over plain HTTP (no browser): sign in for a session cookie, call tRPC
 * procedures as the app's own client does (superjson envelope). Server-Sent Events: see sse.ts.
 */

/** Signs in through better-auth's endpoint; returns the `Cookie` header value of the session. */
export async function signInHttp(
  baseUrl: string,
  email: string,
  password = FIXTURE_PASSWORD,
): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export class TrpcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "TrpcHttpError";
  }
}

async function unwrap<T>(res: Response): Promise<T> {
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: { json: { message: string; data?: { code?: string } } };
  };
  if (body.error)
    throw new TrpcHttpError(res.status, body.error.json.data?.code ?? "UNKNOWN", body.error.json.message);
  return body.result!.data.json;
}

/** A tRPC mutation over HTTP as the signed-in `cookie`. Throws {@link TrpcHttpError} on an error answer. */
export async function trpcMutation<T = unknown>(
  baseUrl: string,
  cookie: string,
  path: string,
  input: unknown,
): Promise<T> {
  const res = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: baseUrl },
    body: JSON.stringify({ json: input }),
  });
  return unwrap<T>(res);
}

/** A tRPC query over HTTP. Dates come back as ISO strings (the superjson meta is not applied). */
export async function trpcQuery<T = unknown>(
  baseUrl: string,
  cookie: string,
  path: string,
  input: unknown,
): Promise<T> {
  const q = encodeURIComponent(JSON.stringify({ json: input }));
  const res = await fetch(`${baseUrl}/api/trpc/${path}?input=${q}`, { headers: { cookie, origin: baseUrl } });
  return unwrap<T>(res);
}

/**
 * One tRPC call over HTTP (unbatched) that never throws: the status, the error message or the data. Inputs
 * are plain JSON (no Dates), which superjson sends as `{ json: input }`; pass superjson's `meta` for Dates.
 */
export async function trpcHttp(
  baseUrl: string,
  cookie: string | null,
  kind: "query" | "mutation",
  path: string,
  input: unknown,
  meta?: unknown,
): Promise<{ status: number; message: string | null; data: unknown }> {
  const serialized = JSON.stringify(meta === undefined ? { json: input } : { json: input, meta });
  const headers: Record<string, string> = { origin: baseUrl, ...(cookie ? { cookie } : {}) };
  const res =
    kind === "query"
      ? await fetch(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(serialized)}`, { headers })
      : await fetch(`${baseUrl}/api/trpc/${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: serialized,
        });
  const body = (await res.json()) as {
    result?: { data: { json: unknown; meta?: unknown } };
    error?: { json: { message: string } };
  };
  return {
    status: res.status,
    message: body.error?.json.message ?? null,
    data: body.result?.data.json ?? null,
  };
}
