import type { Logger } from "pino";
import {
  aggregateInteraction,
  interactionEvent,
  interactionId,
  invalidJobReason,
  ZTrackEvent,
  type InteractionEvent,
  type StoreRules,
  type TrackContext,
  type TrackEvent,
} from "@shelf/core";
import type { Db } from "@shelf/db";
import type { WorkerCounters } from "../counters.ts";
import type { InteractionRecord } from "../interaction-writer.ts";
import type { LivePublisher } from "../live.ts";
import type { SamplesStore, StoredSample } from "../samples-store.ts";
import type { VisitBook } from "../visit-book.ts";
import { JobRejected, type WaitOutcome } from "./rejected.ts";

export interface VisitDeps {
  /** The store's negative rule for building an interaction (`storeRules`, read per visit). */
  settings(storeId: string): Promise<Pick<StoreRules, "negative" | "includeHesitation">>;
  /**
   * Writes the interaction and its rollup exactly once (`writeInteraction`): true when the row is new, false
   * when it was already there (a retried or duplicated end).
   */
  write(record: InteractionRecord): Promise<boolean>;
  samples: Pick<SamplesStore, "count" | "all" | "drop">;
  visits: Pick<VisitBook, "opened" | "closed" | "queuedCrops">;
  places: Pick<KnownPlaces, "problem">;
  live: Pick<LivePublisher, "publish">;
  counters: Pick<WorkerCounters, "inc">;
  logger: Logger;
  /** Asks for a (debounced) rescore of an item. */
  rescore(storeId: string, itemId: string): Promise<void>;
  /** Hands a new interaction to the survey trigger engine (`queueSurveyTrigger` in processors/surveys.ts). */
  triggerSurvey(event: InteractionEvent): Promise<void>;
  /** Called once per newly written interaction. */
  written(id: string, context: TrackContext): void;
  /**
   * Safety bound only: an end stops waiting for its queued crops once it has been queued this long, ms.
   * Crops end on their own (classified, or dropped at their TTL), so this is never the normal path.
   */
  finaliseGuardMs: number;
}

/** A visit whose crops are still queued is looked at again after this long, ms. */
const FINALISE_POLL_MS = 200;

export type VisitOutcome =
  WaitOutcome | { status: "noted" | "skipped" } | { status: "written" | "duplicate"; id: string };

/**
 * A visit's start (noted: the visit is open) or end: waits while crops of the visit are still queued, then
 * aggregates the samples into one interaction and writes it with its rollup, exactly once.
 */
export async function processTrackEvent(
  deps: VisitDeps,
  data: unknown,
  job: { id?: string | undefined; timestamp: number },
  now = Date.now(),
): Promise<VisitOutcome> {
  const parsed = ZTrackEvent.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("track event", parsed.error), "invalid");
  const event = parsed.data;
  if (event.type === "start") {
    await deps.visits.opened(event.context, event.at, now);
    return { status: "noted" };
  }
  const { context } = event;
  const problem = await deps.places.problem(context);
  if (problem) throw new JobRejected(`rejected track event: ${problem.reason}`, problem.code);
  const log = deps.logger.child({ job: job.id, zone: context.zoneId, camera: context.cameraId });

  // Edge classification: the agent classified the visit's crops itself and sent their vectors with the end (no
  // crop ever crossed the link); otherwise crops may still be queued (a worker outage, a backlog): wait for them —
  // on what is queued, not on time.
  const edge = event.samples?.map((s): StoredSample => ({ status: "ok", ...s }));
  if (!edge && (event.abandoned || (await deps.samples.count(context)) < event.cropsSent)) {
    const queued = await deps.visits.queuedCrops(context);
    if (queued > 0 && now - job.timestamp < deps.finaliseGuardMs)
      return { status: "wait", until: now + FINALISE_POLL_MS };
  }
  if (edge) deps.counters.inc("shelf_worker_edge_visits_total");
  const all = edge ?? (await deps.samples.all(context));
  const ok = all.filter((s): s is Extract<StoredSample, { status: "ok" }> => s.status === "ok");
  const endedAt = event.abandoned ? Math.max(event.endedAt, ...all.map((s) => s.capturedAt)) : event.endedAt;
  if (event.abandoned) {
    deps.counters.inc("shelf_worker_visits_abandoned_total");
    log.warn(
      { samples: ok.length, silentSince: endedAt },
      "visit end never came (agent killed or cut off): finalised from the samples it had",
    );
  }
  if (ok.length === 0) {
    // Routine on a busy store: counted, logged at debug only.
    deps.counters.inc("shelf_worker_visits_without_face_total");
    // Its crops never came (the agent's link was down, or the backlog cap refused them): lost, and counted so.
    if (event.cropsDropped) deps.counters.inc("shelf_worker_visits_crops_dropped_total");
    log.debug(
      { sent: event.cropsSent, dropped: event.cropsDropped ?? 0, unknown: all.length },
      "visit had no classifiable face; no interaction",
    );
    await deps.samples.drop(context);
    await deps.visits.closed(context);
    return { status: "skipped" };
  }
  const rules = await deps.settings(context.storeId);
  const summary = aggregateInteraction(
    ok.map((s) => ({ capturedAt: s.capturedAt, probs: s.probs })),
    { startedAt: event.startedAt, endedAt },
    { negativeSet: rules.negative, includeHesitation: rules.includeHesitation },
  )!; // non-null: at least one sample
  const id = interactionId({
    storeId: context.storeId,
    cameraId: context.cameraId,
    trackKey: context.trackKey,
    zoneId: context.zoneId,
    startedAt: event.startedAt,
  });
  const fresh = await deps.write({
    id,
    context,
    startedAt: event.startedAt,
    endedAt,
    dwellMs: summary.dwellMs,
    sampleCount: summary.sampleCount,
    meanProbs: summary.meanProbs,
    dominant: summary.dominant,
    valence: summary.valence,
    hesitation: summary.hesitation,
    negative: summary.negative,
  });
  await deps.samples.drop(context);
  await deps.visits.closed(context);
  if (fresh) {
    // One per shopper visit: a counter, not an info line (the log stays readable on a busy store).
    deps.counters.inc("shelf_worker_interactions_written_total");
    log.debug({ interaction: id, dominant: summary.dominant, samples: ok.length }, "interaction written");
    deps.written(id, context);
    const live = interactionEvent({ id, context, endedAt, ...summary });
    await deps.live.publish(live);
    if (context.itemId) await deps.rescore(context.storeId, context.itemId);
    await deps.triggerSurvey(live);
  }
  return { status: fresh ? "written" : "duplicate", id };
}

/** The end event a worker queues for a visit whose agent went silent. */
export function abandonedEnd(
  open: { context: TrackContext; at: number },
  samples: readonly { capturedAt: number }[],
): Extract<TrackEvent, { type: "end" }> {
  return {
    type: "end",
    context: open.context,
    startedAt: open.at,
    endedAt: Math.max(open.at, ...samples.map((s) => s.capturedAt)),
    cropsSent: 0,
    abandoned: true,
  };
}

/**
 * Checks that a visit's store exists and that its camera and zone belong to it (known answers cached for a
 * minute; unknown ones asked again, so a store created a moment ago is found).
 */
export class KnownPlaces {
  private readonly known = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly cacheMs = 60_000,
  ) {}

  async problem(context: TrackContext): Promise<{ code: string; reason: string } | null> {
    const key = `${context.storeId}|${context.cameraId}|${context.zoneId}`;
    const at = this.known.get(key);
    if (at !== undefined && Date.now() - at < this.cacheMs) return null;
    const [store, camera, zone] = await Promise.all([
      this.db.store.findUnique({ where: { id: context.storeId }, select: { id: true } }),
      this.db.camera.findFirst({
        where: { id: context.cameraId, storeId: context.storeId },
        select: { id: true },
      }),
      this.db.shelfZone.findFirst({
        where: { id: context.zoneId, storeId: context.storeId },
        select: { id: true },
      }),
    ]);
    if (!store) return { code: "unknown-store", reason: `context.storeId: unknown store ${context.storeId}` };
    if (!camera)
      return {
        code: "unknown-camera",
        reason: `context.cameraId: no camera ${context.cameraId} in this store`,
      };
    if (!zone)
      return { code: "unknown-zone", reason: `context.zoneId: no zone ${context.zoneId} in this store` };
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(key, Date.now());
    return null;
  }
}
