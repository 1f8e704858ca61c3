import type { Logger } from "pino";
import { invalidJobReason, ZCropQueueJob, ZExpressionProbs } from "@shelf/core";
import type { FaceAnalyzer, FaceCrop } from "@shelf/inference";
import { MicroBatcher } from "../micro-batcher.ts";
import { CropAuthError, type CropKeyHolder } from "../crop-keys.ts";
import type { WorkerCounters } from "../counters.ts";
import type { LivePublisher } from "../live.ts";
import type { SamplesStore, StoredSample } from "../samples-store.ts";
import type { VisitBook } from "../visit-book.ts";
import { JobRejected, type WaitOutcome } from "./rejected.ts";

type ClassifyResult = Awaited<ReturnType<FaceAnalyzer["classify"]>>[number];

export interface CropDeps {
  keys: Pick<CropKeyHolder, "open">;
  /** Classifies one crop (micro-batched by the caller). */
  classify(crop: FaceCrop): Promise<ClassifyResult>;
  samples: Pick<SamplesStore, "put">;
  visits: Pick<VisitBook, "touched">;
  live: Pick<LivePublisher, "sample">;
  counters: Pick<WorkerCounters, "inc">;
  logger: Logger;
}

/**
 * The `classify` of {@link CropDeps}: one crop in, its result out, with the model called once for up to
 * `batchSize` crops (those that arrive within `waitMs` of the first). The crop worker's concurrency should be
 * `batchSize`, so that a batch can fill.
 */
export function batchedClassifier(
  analyzer: Pick<FaceAnalyzer, "classify">,
  opts: { batchSize: number; waitMs: number },
): CropDeps["classify"] {
  const batcher = new MicroBatcher<FaceCrop, ClassifyResult>(
    (crops) => analyzer.classify(crops),
    opts.batchSize,
    opts.waitMs,
  );
  return (crop) => batcher.push(crop);
}

/** While the data key of a crop has not been wrapped for this worker, ask again after this long, ms. */
const KEY_POLL_MS = 500;

/**
 * One sealed face crop: dropped unread when stale; otherwise decrypted, classified, and the pixels dropped —
 * only the probabilities go on, to the visit's samples.
 */
export async function processCrop(
  deps: CropDeps,
  data: unknown,
  now = Date.now(),
): Promise<{ status: "ok" | "unknown" | "stale" } | WaitOutcome> {
  const parsed = ZCropQueueJob.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("crop job", parsed.error), "invalid");
  const job = parsed.data;
  if (now > job.expiresAt) {
    deps.counters.inc("shelf_worker_crops_stale_total");
    deps.logger.info(
      { zone: job.context.zoneId, lateMs: now - job.expiresAt },
      "stale crop dropped unread (queued past its TTL)",
    );
    return { status: "stale" };
  }
  let pixels: Buffer | null;
  try {
    pixels = await deps.keys.open(job);
  } catch (err) {
    if (err instanceof CropAuthError)
      throw new JobRejected(`invalid crop job: ${err.message}`, "undecryptable");
    throw err;
  }
  // The agent has not wrapped this crop's key for this worker yet (it just started): wait, at most until expiry.
  if (pixels === null) return { status: "wait", until: Math.min(job.expiresAt + 1, now + KEY_POLL_MS) };
  const { width, height, channels } = job.crop;
  if (pixels.length !== width * height * channels)
    throw new JobRejected(
      `invalid crop job: crop.data: ${pixels.length} bytes, expected ${width * height * channels}`,
      "invalid",
    );
  let result: ClassifyResult;
  try {
    result = await deps.classify({
      width,
      height,
      channels,
      data: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length),
    });
  } finally {
    pixels.fill(0); // pixels dropped: only probabilities go on
    pixels = null;
  }
  const sample: StoredSample =
    result.status === "ok"
      ? { status: "ok", capturedAt: job.capturedAt, probs: ZExpressionProbs.parse(result.probs) }
      : { status: "unknown", capturedAt: job.capturedAt, reason: result.reason };
  await deps.samples.put(job.context, sample);
  await deps.visits.touched(job.context);
  if (sample.status === "ok") await deps.live.sample(job.context, job.capturedAt, sample.probs);
  return { status: sample.status };
}
