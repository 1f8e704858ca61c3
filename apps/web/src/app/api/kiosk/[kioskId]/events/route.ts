import { liveChannel, parseLiveEvent } from "@shelf/survey-engine";
import { db } from "~/server/db";
import { liveHub, surveyConfigFromEnv, surveyRedis } from "~/server/survey/context";
import { handleKioskEvent, type KioskPromptPayload, type PromptDeps } from "~/server/survey/prompts";

export const dynamic = "force-dynamic";

/** Comment line every 15 s: keeps proxies from closing an idle stream and notices a gone client. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for one kiosk: `ready` once subscribed to the store's live channel, then a `prompt`
 * (with a fresh single-use survey link) whenever a negative interaction at the kiosk's zone, for an item
 * with an active survey, wins the cooldowns. The browser's EventSource reconnects by itself.
 */
export async function GET(request: Request, { params }: { params: Promise<{ kioskId: string }> }) {
  const { kioskId } = await params;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(kioskId)) return new Response("unknown kiosk", { status: 404 });
  const database = db();
  const kiosk = await database.kiosk.findUnique({
    where: { id: kioskId },
    select: { id: true, storeId: true, zoneId: true },
  });
  if (!kiosk) return new Response("unknown kiosk", { status: 404 });
  const config = surveyConfigFromEnv();
  const deps: PromptDeps = {
    db: database,
    redis: surveyRedis().redis,
    secret: config.secret,
    prefix: config.prefix,
  };
  const hub = liveHub();
  const encoder = new TextEncoder();
  let stop = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let unsubscribe = () => {};
      const write = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          stop();
        }
      };
      const send = (event: "ready" | "prompt" | "unavailable", data: unknown) =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        request.signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          /* already closed by the client */
        }
      };
      request.signal.addEventListener("abort", stop);

      const onMessage = (message: string) => {
        const event = parseLiveEvent(message);
        if (!event) {
          console.warn("kiosk stream: ignored an invalid live event", { bytes: message.length });
          return;
        }
        handleKioskEvent(deps, kiosk, event)
          .then((prompt: KioskPromptPayload | null) => prompt && send("prompt", prompt))
          .catch((err: unknown) =>
            console.error("kiosk stream: handling a live event failed", {
              kiosk: kiosk.id,
              kind: event.kind,
              err: err instanceof Error ? err.message : String(err),
            }),
          );
      };

      write("retry: 3000\n\n");
      try {
        const off = await hub.subscribe(liveChannel(kiosk.storeId, config.prefix), onMessage);
        if (closed) off();
        else unsubscribe = off;
      } catch (err) {
        console.error("kiosk stream: cannot subscribe", err instanceof Error ? err.message : err);
        send("unavailable", { retryMs: 3000 });
        stop();
        return;
      }
      send("ready", { kioskId: kiosk.id });
    },
    cancel() {
      stop();
    },
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: keeps compression (and proxies) from buffering the stream.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      "referrer-policy": "no-referrer",
    },
  });
}
