import { FIXTURE_PASSWORD } from "./web-fixtures.ts";

/**
 * Talking to the running web app over plain HTTP (no browser): sign in for a session cookie, call tRPC
 * procedures as the app's own client does (superjson envelope), read Server-Sent Events.
 */

/** Signs in through better-auth's endpoint; returns the `Cookie` header value of the session. */
export async function signInHttp(baseUrl: string, email: string, password = FIXTURE_PASSWORD): Promise<string> {
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

export interface SseEvent {
  event: string;
  data: string;
}

/** An open Server-Sent Events stream: events so far, waiting for one, closing. */
export interface SseStream {
  status: number;
  events: SseEvent[];
  /** Resolves with the first event (past or future) matching `pred`; rejects after `timeoutMs`. */
  waitFor(pred: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves once the server has ended the stream (rejects after `timeoutMs`). */
  ended(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens `url` as an event stream (any status; a non-200 answer has no events). */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const notify = () => waiters.forEach((w) => w());
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { done: end, value } = await reader.read();
          if (end) break;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = "message";
            const data: string[] = [];
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) event = line.slice(7);
              else if (line.startsWith("data: ")) data.push(line.slice(6));
            }
            if (data.length) events.push({ event, data: data.join("\n") });
          }
          notify();
        }
      } catch {
        /* aborted */
      }
      done = true;
      notify();
    })();
  } else {
    done = true;
    await res.body?.cancel().catch(() => undefined);
  }
  const until = (check: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  return {
    status: res.status,
    events,
    async waitFor(pred, timeoutMs = 15_000) {
      await until(() => events.some(pred), timeoutMs, "an event");
      return events.find(pred)!;
    },
    async ended(timeoutMs = 15_000) {
      await until(() => done, timeoutMs, "the stream to end");
    },
    close() {
      abort.abort();
    },
  };
}
