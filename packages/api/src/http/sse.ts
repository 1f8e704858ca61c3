/** One Server-Sent Events stream, as its route handler's code sees it. */
export interface SseChannel {
  /** Sends `event` with `data` as JSON; a no-op once the stream is closed. */
  send(event: string, data: unknown): void;
  /** Closes the stream (idempotent): runs the opener's cleanup, ends the response. */
  close(): void;
  /** True once closed, by either side. */
  readonly closed: boolean;
}

export interface SseOptions {
  /** A comment line this often keeps proxies from closing an idle stream and notices a gone client, ms. Default 15 000. */
  keepaliveMs?: number;
  /** Runs with every keep-alive (e.g. re-check a credential, and `close()` when it is gone). */
  onKeepalive?: () => void;
  /** Tells the browser's EventSource how long to wait before reconnecting, ms. */
  retryMs?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/**
 * A `text/event-stream` response. `open` runs once the stream starts, gets the channel and returns its cleanup
 * (unsubscribe, timers), which runs exactly once when the client goes away, the stream is cancelled or the
 * handler calls `close()`. A failing `open` closes the stream (the error is rethrown to nobody: say why on
 * the channel before throwing, or catch it in `open`).
 */
export function sseResponse(
  request: Request,
  open: (channel: SseChannel) => Promise<(() => void) | void> | (() => void) | void,
  options: SseOptions = {},
): Response {
  const encoder = new TextEncoder();
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let cleanup: (() => void) | undefined;
      const write = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          close(); // the client is gone
        }
      };
      const keepalive = setInterval(() => {
        write(": keepalive\n\n");
        if (!closed) options.onKeepalive?.();
      }, options.keepaliveMs ?? 15_000);
      close = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepalive);
        request.signal.removeEventListener("abort", close);
        cleanup?.();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", close);
      const channel: SseChannel = {
        send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        close: () => close(),
        get closed() {
          return closed;
        },
      };
      if (options.retryMs !== undefined) write(`retry: ${options.retryMs}\n\n`);
      try {
        const done = await open(channel);
        if (closed) done?.();
        else cleanup = done ?? undefined;
      } catch {
        close();
      }
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: keeps compression (and proxies) from buffering the stream.
      "cache-control": "no-cache, no-store, no-transform",
      "x-accel-buffering": "no",
      ...options.headers,
    },
  });
}
