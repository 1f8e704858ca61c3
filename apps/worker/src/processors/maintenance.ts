import type { Queue } from "bullmq";
import type { Logger } from "pino";
import { trackJobId } from "@shelf/core";
import { deleteExpiredData, ensureInteractionPartitions, type Db } from "@shelf/db";
import type { SamplesStore } from "../samples-store.ts";
import type { VisitBook } from "../visit-book.ts";
import { JobRejected } from "./rejected.ts";
import { abandonedEnd } from "./visits.ts";

/** The housekeeping jobs of the maintenance queue. */
export type MaintenanceJobName = "retention" | "sweep" | "alerts";

/** How often flags whose alert never went out are looked for (`requeueMissingAlerts`), ms: 5 min. */
export const ALERT_REQUEUE_EVERY_MS = 300_000;

/** How often each housekeeping job runs, ms (defaults in {@link maintenanceSchedules}). */
export interface MaintenanceEvery {
  retentionMs?: number | undefined;
  sweepMs?: number | undefined;
  alertsMs?: number | undefined;
}

/**
 * The repeatable housekeeping schedules: one job per schedule across all worker processes (BullMQ job
 * schedulers are idempotent by id, so every process may set them).
 *
 * @param every.retentionMs - how often retention runs (it also creates the interactions' month partitions
 *   ahead), ms. Default hourly.
 * @param every.sweepMs - how often silent visits and leftover crop jobs are looked for, ms. Default 15 s.
 * @param every.alertsMs - how often alerts missing from the queue are re-queued, ms. Default
 *   {@link ALERT_REQUEUE_EVERY_MS}.
 */
export function maintenanceSchedules(every: MaintenanceEvery = {}): {
  id: string;
  every: number;
  name: MaintenanceJobName;
}[] {
  return [
    { id: "retention-hourly", every: every.retentionMs ?? 3_600_000, name: "retention" },
    { id: "visits-sweep", every: every.sweepMs ?? 15_000, name: "sweep" },
    { id: "alerts-requeue", every: every.alertsMs ?? ALERT_REQUEUE_EVERY_MS, name: "alerts" },
  ];
}

/** Sets the housekeeping schedules on the maintenance queue; a schedule that cannot be set is logged. */
export async function scheduleMaintenance(
  queue: Pick<Queue, "upsertJobScheduler">,
  every: MaintenanceEvery,
  logger: Logger,
): Promise<void> {
  await Promise.all(
    maintenanceSchedules(every).map(({ id, every: ms, name }) =>
      queue
        .upsertJobScheduler(id, { every: ms }, { name })
        .then(() => undefined)
        .catch((err: unknown) => logger.error({ err, schedule: id }, "housekeeping schedule not set")),
    ),
  );
}

/**
 * One maintenance job, by name: `sweep` (Redis only), `retention` or `alerts` (PostgreSQL and Redis: the
 * caller's functions wait out a database outage). Any other name is bad input, refused without retries.
 */
export async function processMaintenance(
  run: {
    sweep(): Promise<object>;
    retention(): Promise<object>;
    /** Re-queues flag alerts that never went out (`requeueMissingAlerts`). */
    alerts(): Promise<object>;
  },
  name: string,
): Promise<object> {
  if (name === "sweep") return run.sweep();
  if (name === "retention") return run.retention();
  if (name === "alerts") return run.alerts();
  throw new JobRejected(`job name: unknown maintenance job "${name}"`, "invalid");
}

/**
 * Retention and the interactions' month partitions: creates the partitions of this month and the next ones
 * (`ensureInteractionPartitions`), then deletes each store's interactions and survey responses older than
 * its retention, dropping whole month partitions that every store's retention has passed.
 */
export async function runRetention(
  deps: { db: Db; logger: Logger },
  now = new Date(),
): Promise<{ stores: number; deleted: number; partitionsCreated: string[]; partitionsDropped: string[] }> {
  const partitions = await ensureInteractionPartitions(deps.db, { now });
  if (partitions.created.length) deps.logger.info(partitions, "interaction partitions created");
  if (partitions.movedFromDefault)
    deps.logger.warn(
      partitions,
      "interactions found in the default partition moved to their month's partition",
    );
  const results = await deleteExpiredData(deps.db, { now });
  const deleted = results.filter((r) => r.interactions || r.surveyResponses);
  if (deleted.length) deps.logger.info({ deleted }, "retention: expired interactions and responses deleted");
  return {
    stores: results.length,
    deleted: deleted.length,
    partitionsCreated: partitions.created,
    partitionsDropped: [...new Set(results.flatMap((r) => r.partitionsDropped))],
  };
}

export interface SweepDeps {
  visits: Pick<VisitBook, "silentSince" | "forget">;
  samples: Pick<SamplesStore, "all">;
  /** A store's track queue: an abandoned visit's end is queued there under the agent's own job id. */
  tracks: (storeId: string) => Pick<Queue, "add">;
  /** Every store's crop queue: whatever crop jobs a producer's options left in its completed and failed sets go. */
  crops: () => Iterable<Pick<Queue, "clean">>;
  logger: Logger;
  /** A visit with no start, crop or end for this long is taken as abandoned, ms. */
  silentMs: number;
}

/** Finished crop jobs removed per set and sweep (the rest go at the next sweep). */
const PURGE_LIMIT = 10_000;

/**
 * Housekeeping every few seconds: visits whose agent went silent get an end queued for them (finalised from
 * the samples they have, and counted), and no finished crop job is left in Redis.
 *
 * The end is queued under the agent's own job id (`trackJobId`): if the agent's real end arrives late, it
 * lands on the same job and the visit is still written once.
 */
export async function sweep(
  deps: SweepDeps,
  now = Date.now(),
): Promise<{ abandoned: number; purged: number }> {
  const silent = await deps.visits.silentSince(now - deps.silentMs);
  for (const open of silent) {
    const end = abandonedEnd(open, await deps.samples.all(open.context));
    await deps.tracks(end.context.storeId).add("end", end, { jobId: trackJobId("end", end.context) });
    await deps.visits.forget(open.context);
  }
  let purged = 0;
  for (const crops of deps.crops())
    purged +=
      (await crops.clean(0, PURGE_LIMIT, "completed")).length +
      (await crops.clean(0, PURGE_LIMIT, "failed")).length;
  if (purged > 0) deps.logger.warn({ purged }, "finished crop jobs found in Redis and removed");
  return { abandoned: silent.length, purged };
}
