/** Reading Server-Sent Events from the running web app over plain HTTP (no browser). */

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
  const res = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
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
