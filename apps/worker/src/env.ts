import { z } from "zod";
import { parseEnv, parseStoreShard, ZServiceEnv } from "@shelf/core";

export const ZWorkerEnv = ZServiceEnv.extend({
  /**
   * The stores whose crop and track queues this process consumes: `index/count`, stores whose id hashes to
   * `index` mod `count` (default `0/1`: every store). See `store-consumers.ts` for the scheme and its cost.
   */
  STORE_SHARD: z
    .string()
    .default("0/1")
    .transform((text, ctx) => {
      try {
        return parseStoreShard(text);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** How often the store list is read again (new stores served, deleted ones let go), ms. */
  STORE_REFRESH_MS: z.coerce.number().int().min(1000).default(10_000),
  /** Crops classified in one model call. */
  CLASSIFY_BATCH: z.coerce.number().int().min(1).max(64).default(8),
  /**
   * `onnx` (default): our own FER-2013 model on ONNX Runtime (packages/inference/models); `ensemble`: the
   * tfjs models of Human and face-api (slower, less accurate; the fallback when onnxruntime-node cannot load).
   */
  EXPRESSION_MODEL: z.enum(["onnx", "ensemble"]).default("onnx"),
  /** Longest wait for a batch to fill, ms. */
  CLASSIFY_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(15),
  /**
   * Worker processes to run (each uses one core for inference; BullMQ shares the jobs). "auto" = one per
   * core. Default 1.
   */
  WORKER_PROCESSES: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(256)]).default(1),
  /** Set by the supervisor in the processes it forks (their index); never set it yourself. */
  SHELF_WORKER_CHILD: z.string().optional(),
  /** How long a job's lock lasts without renewal before it counts as stalled (crashed worker), ms. */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often stalled jobs are looked for and put back, ms. */
  STALLED_CHECK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** A visit with no start, crop or end for this long is finalised from its samples (its agent is gone), ms. */
  VISIT_SILENT_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  /** How often silent visits (and leftover crop jobs) are looked for, ms. */
  VISIT_SWEEP_MS: z.coerce.number().int().min(200).max(600_000).default(15_000),
  /** First and longest wait of a job while PostgreSQL does not answer, ms. */
  DB_RETRY_MIN_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  DB_RETRY_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** Jobs wait out a PostgreSQL outage until they are this old (a visit's usefulness), ms. Default 6 h. */
  DB_OUTAGE_MAX_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(6 * 3_600_000),
  /** Mail server for flag alerts: smtp://user:pass@host:587 or smtps://…:465. Unset: no e-mail alerts. */
  SMTP_URL: z
    .string()
    .refine(
      (u) => URL.canParse(u) && /^smtps?:$/.test(new URL(u).protocol),
      "must be an smtp:// or smtps:// URL",
    )
    .optional(),
  /** From of alert e-mails. */
  ALERT_EMAIL_FROM: z.string().min(3).max(200).default("Shelf Sentiment <alerts@localhost>"),
  /**
   * Opens webhook secrets sealed by the web app: the web app's CAMERA_SECRET_KEY (base64, 32 bytes). Needed
   * wherever the worker does not share the web app's key file.
   */
  CAMERA_SECRET_KEY: z.string().min(40, "must be base64 of 32 bytes").optional(),
  /** Key file when CAMERA_SECRET_KEY is unset; default `.data/camera-secret.key` at the repository root. */
  CAMERA_SECRET_KEY_FILE: z.string().min(1).optional(),
  /** The dashboard's public origin (https://shelf.example.com), for links in alerts. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Port for /metrics (Prometheus text; counters shared by all worker processes). 0 = off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
});
export type WorkerEnv = z.infer<typeof ZWorkerEnv>;

/** The only place the worker reads process.env. */
export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(ZWorkerEnv, source);
}
