import { liveChannel, parseLiveEvent } from "@shelf/survey-engine";
import { db } from "@shelf/api/db";
import { liveHub, surveyConfigFromEnv, surveyRedis } from "@shelf/api/survey/context";
import { authenticateKiosk, claimKioskStream, stillOwnsKiosk } from "@shelf/api/survey/kiosk-pairing";
import {
  deliverWaitingPrompt,
  handleKioskEvent,
  type KioskPromptPayload,
  type PromptDeps,
} from "@shelf/api/survey/prompts";

export const dynamic = "force-dynamic";

/** Comment line every 15 s: keeps proxies from closing an idle stream and notices a gone client. */
const HEARTBEAT_MS = 15_000;

/** Open streams of this process, per kiosk: a new stream stops the old one at once (others: by Redis). */
const g = globalThis as unknown as { shelfKioskStreams?: Map<string, () => void> };
const openStreams = (g.shelfKioskStreams ??= new Map());

/**
 * Server-sent events for one paired kiosk: `ready` once subscribed to the store's live channel, then a
 * `prompt` (with a fresh single-use survey link) for each survey prompt the worker's trigger engine decided
 * for this kiosk — published while the stream is open, or still waiting when it (re)connects. The stream
 * decides nothing; it only delivers (see @shelf/api/survey/prompts). Only the device paired with THIS kiosk may open it (its
 * credential cookie, see server/survey/kiosk-pairing.ts): anyone else gets 401 and no invite. One stream per
 * kiosk: a new one replaces the open one, which gets `replaced` and closes. Every heartbeat re-checks the
 * credential (a revoked kiosk's stream ends) and the stream's ownership.
 */
export async function GET(request: Request, { params }: { params: Promise<{ kioskId: string }> }) {
  const { kioskId } = await params;
  const unauthorized = () =>
    new Response("this device is not paired with this kiosk", {
      status: 401,
      headers: { "cache-control": "no-store" },
    });
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(kioskId)) return unauthorized();
  const database = db();
  const cookieHeader = request.headers.get("cookie");
  const kiosk = await authenticateKiosk(database, kioskId, cookieHeader);
  if (!kiosk) return unauthorized();
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
      const send = (event: "ready" | "prompt" | "unavailable" | "replaced", data: unknown) =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let streamId = "";
      /** Still the kiosk's one stream, with a valid credential; otherwise says why and stops. */
      const entitled = async (): Promise<boolean> => {
        if (closed) return false;
        try {
          if (!(await stillOwnsKiosk(deps.redis, deps.prefix, kiosk.id, streamId))) {
            send("replaced", { kioskId: kiosk.id });
            stop();
            return false;
          }
          if (!(await authenticateKiosk(database, kiosk.id, cookieHeader))) {
            stop();
            return false;
          }
        } catch (err) {
          console.warn(
            "kiosk stream: cannot check the stream's claim",
            err instanceof Error ? err.message : err,
          );
          return false;
        }
        return true;
      };
      /** Called by a newer stream of this kiosk in this process. */
      const replaced = () => {
        send("replaced", { kioskId: kiosk.id });
        stop();
      };
      const heartbeat = setInterval(() => {
        write(": ping\n\n");
        void entitled();
      }, HEARTBEAT_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        if (openStreams.get(kiosk.id) === replaced) openStreams.delete(kiosk.id);
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
        // Only prompts for this kiosk cost a claim check (a busy store publishes every interaction).
        if (event.kind !== "survey-prompt" || event.kioskId !== kiosk.id) return;
        entitled()
          .then((ok) => (ok ? handleKioskEvent(deps, kiosk, event) : null))
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
        openStreams.get(kiosk.id)?.();
        streamId = await claimKioskStream(deps.redis, deps.prefix, kiosk.id);
        openStreams.set(kiosk.id, replaced);
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
      // A prompt decided while no stream of this kiosk was open, still valid: shown now.
      deliverWaitingPrompt(deps, kiosk)
        .then((prompt) => prompt && send("prompt", prompt))
        .catch((err: unknown) =>
          console.error("kiosk stream: delivering a waiting prompt failed", {
            kiosk: kiosk.id,
            err: err instanceof Error ? err.message : String(err),
          }),
        );
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
