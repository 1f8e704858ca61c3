import { QUEUES, type QueueName } from "./queues.ts";

/**
 * BullMQ default job options per queue, as plain data (core does not import BullMQ).
 * Every queue retries with exponential backoff and keeps a bounded history; the crop queue keeps no
 * history at all because its payloads carry pixels: a crop job is removed on completion AND on failure.
 */
export const JOB_OPTIONS: Record<
  QueueName,
  {
    attempts: number;
    backoff: { type: "exponential"; delay: number };
    removeOnComplete: boolean | { count: number; age: number };
    removeOnFail: boolean | { count: number; age: number };
  }
> = {
  [QUEUES.crops]: {
    attempts: 3,
    backoff: { type: "exponential", delay: 200 },
    removeOnComplete: true,
    removeOnFail: true,
  },
  [QUEUES.tracks]: {
    attempts: 8,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { count: 1000, age: 3600 },
    removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
  },
  [QUEUES.scoring]: {
    attempts: 8,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { count: 1000, age: 3600 },
    removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
  },
  // The web app waits for a rescore (seconds): few, quick retries; results kept an hour for a late reader.
  [QUEUES.rescore]: {
    attempts: 3,
    backoff: { type: "exponential", delay: 200 },
    removeOnComplete: { count: 100, age: 3600 },
    removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
  },
  [QUEUES.maintenance]: {
    attempts: 3,
    backoff: { type: "exponential", delay: 10_000 },
    removeOnComplete: { count: 100, age: 7 * 24 * 3600 },
    removeOnFail: { count: 100, age: 30 * 24 * 3600 },
  },
  // An alert waits out a receiver's outage: 8 tries, 2 s doubling (about 4 min 15 s in all), failures kept a month.
  [QUEUES.alerts]: {
    attempts: 8,
    backoff: { type: "exponential", delay: 2000 },
    removeOnComplete: { count: 1000, age: 7 * 24 * 3600 },
    removeOnFail: { count: 1000, age: 30 * 24 * 3600 },
  },
  // A prompt is only worth making while the shopper may still be there (a minute): quick retries, then drop.
  [QUEUES.surveys]: {
    attempts: 4,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { count: 1000, age: 3600 },
    removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
  },
};

export { DEFAULT_QUEUE_PREFIX } from "./redis-prefix.ts";

/**
 * Largest raw job payload (the JSON text BullMQ stores) a worker accepts per queue, bytes. Checked before the
 * payload is parsed, so an oversized job costs one read, not a parse and a decode. A sealed 160 × 160 RGB crop
 * is about 103 kB of base64.
 */
export const MAX_JOB_BYTES: Record<QueueName, number> = {
  [QUEUES.crops]: 128 * 1024,
  // A visit end with edge classification carries up to MAX_EDGE_SAMPLES vectors: about 10 kB at most.
  [QUEUES.tracks]: 16 * 1024,
  [QUEUES.scoring]: 1024,
  [QUEUES.rescore]: 1024,
  [QUEUES.surveys]: 2048,
  [QUEUES.maintenance]: 1024,
  [QUEUES.alerts]: 1024,
};

/** Queues whose payloads carry pixels: removed on completion and failure whatever their producer asked for. */
export const PIXEL_QUEUES: ReadonlySet<QueueName> = new Set([QUEUES.crops]);

/** Default crop TTL, ms: a crop still queued after this is dropped unread (and counted). */
export const DEFAULT_CROP_TTL_MS = 5 * 60_000;

/** Default cap on queued crops: past it the agent stops sending crops (and counts them) until workers catch up. */
export const DEFAULT_CROP_BACKLOG_CAP = 5_000;
