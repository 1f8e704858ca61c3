import { liveChannel, parseLiveEvent } from "@shelf/survey-engine";
import { db } from "@shelf/api/db";
import { liveHub, surveyConfigFromEnv, surveyRedis } from "@shelf/api/survey/context";
import { authenticateKiosk, claimKioskStream, stillOwnsKiosk } from "@shelf/api/survey/kiosk-pairing";
import { sseResponse } from "@shelf/api/http/sse";
import { logger } from "@shelf/api/logger";
import { sendKioskPrompt, waitingPrompt, type PromptDeps } from "@shelf/api/survey/prompts";

export const dynamic = "force-dynamic";

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
  const log = logger().child({ kiosk: kiosk.id });
  /** Runs with each keep-alive comment (every 15 s): the credential and the claim re-checked. */
  let onHeartbeat = () => {};

  return sseResponse(
    request,
    async (channel) => {
      const send = (event: "ready" | "prompt" | "unavailable" | "replaced", data: unknown) =>
        channel.send(event, data);
      let streamId = "";
      /** Still the kiosk's one stream, with a valid credential; otherwise says why and stops. */
      const entitled = async (): Promise<boolean> => {
        if (channel.closed) return false;
        try {
          if (!(await stillOwnsKiosk(deps.redis, deps.prefix, kiosk.id, streamId))) {
            send("replaced", { kioskId: kiosk.id });
            channel.close();
            return false;
          }
          if (!(await authenticateKiosk(database, kiosk.id, cookieHeader))) {
            channel.close();
            return false;
          }
        } catch (err) {
          log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            "kiosk stream: cannot check the stream's claim",
          );
          return false;
        }
        return true;
      };
      /** The prompt waiting for this kiosk, if any, shown now (a stream that fails to deliver one tries again here). */
      const deliverWaiting = () =>
        waitingPrompt(deps, kiosk)
          .then((event) => event && sendKioskPrompt(deps, kiosk, event, channel))
          .catch((err: unknown) =>
            log.error(
              { err: err instanceof Error ? err.message : String(err) },
              "kiosk stream: delivering a waiting prompt failed",
            ),
          );
      onHeartbeat = () => void entitled().then((ok) => (ok ? deliverWaiting() : undefined));
      /** Called by a newer stream of this kiosk in this process. */
      const replaced = () => {
        send("replaced", { kioskId: kiosk.id });
        channel.close();
      };
      const onMessage = (message: string) => {
        const event = parseLiveEvent(message);
        if (!event) {
          log.warn({ bytes: message.length }, "kiosk stream: ignored an invalid live event");
          return;
        }
        // Only prompts for this kiosk cost a claim check (a busy store publishes every interaction).
        if (event.kind !== "survey-prompt" || event.kioskId !== kiosk.id) return;
        entitled()
          .then((ok) => (ok ? sendKioskPrompt(deps, kiosk, event, channel) : null))
          .then((outcome) => {
            if (outcome === "returned")
              log.info({ promptId: event.promptId }, "kiosk stream: prompt handed back");
          })
          .catch((err: unknown) =>
            log.error(
              { kind: event.kind, err: err instanceof Error ? err.message : String(err) },
              "kiosk stream: handling a live event failed",
            ),
          );
      };

      let unsubscribe = () => {};
      const cleanup = () => {
        if (openStreams.get(kiosk.id) === replaced) openStreams.delete(kiosk.id);
        unsubscribe();
      };
      try {
        openStreams.get(kiosk.id)?.();
        streamId = await claimKioskStream(deps.redis, deps.prefix, kiosk.id);
        openStreams.set(kiosk.id, replaced);
        unsubscribe = await hub.subscribe(liveChannel(kiosk.storeId, config.prefix), onMessage);
      } catch (err) {
        log.error(
          { err: err instanceof Error ? err.message : String(err) },
          "kiosk stream: cannot subscribe",
        );
        send("unavailable", { retryMs: 3000 });
        cleanup();
        channel.close();
        return;
      }
      send("ready", { kioskId: kiosk.id });
      // A prompt decided while no stream of this kiosk was open, still valid: shown now.
      void deliverWaiting();
      return cleanup;
    },
    {
      retryMs: 3000,
      onKeepalive: () => onHeartbeat(),
      headers: { "referrer-policy": "no-referrer" },
    },
  );
}
