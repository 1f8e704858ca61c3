import type { Cluster, Redis } from "ioredis";
import { Queue } from "bullmq";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import {
  cropJobId,
  DEFAULT_CROP_BACKLOG_CAP,
  DEFAULT_CROP_TTL_MS,
  JOB_OPTIONS,
  MAX_CROP_TTL_MS,
  QUEUES,
  redisKeys,
  trackJobId,
  type CropJob,
  type CropQueueJob,
  type RedisConnectionConfig,
  type TrackEvent,
} from "@shelf/core";
import { connectRedis } from "@shelf/core/redis-client";
import { CropKeyring } from "./crop-keyring.ts";
import { LINK_DEADLINE_MS, TrackEventBuffer, withDeadline, type TrackBufferOptions } from "./track-buffer.ts";

/** Where the pipeline sends its jobs (BullMQ in production). */
export interface JobSink {
  /** Resolves false when the crop was dropped (Redis unreachable): the caller counts it, nothing is buffered. */
  crop(job: CropJob): Promise<boolean>;
  track(event: TrackEvent): Promise<void>;
  close(): Promise<void>;
}

/** Buffered visit events are retried at least this often while any wait, ms. */
const TRACK_RETRY_MS = 5_000;

/** The crop backlog is re-counted at most this often, ms. */
const BACKLOG_CHECK_MS = 500;

export interface JobSinkOptions {
  /** A crop still queued after this long is dropped unread by the worker, ms. Default DEFAULT_CROP_TTL_MS. */
  cropTtlMs?: number;
  /** Queued crops (waiting, delayed, active) past which new crops are refused. Default DEFAULT_CROP_BACKLOG_CAP. */
  cropBacklogCap?: number;
  /** A new crop data key this often, ms. Default CROP_KEY_ROTATE_MS. */
  keyRotateMs?: number;
  /** Bounds (and clock) of the buffer visit events wait in while the link to Redis is down. */
  trackBuffer?: TrackBufferOptions;
}

/**
 * BullMQ producer. The connection has no offline queue: while Redis is unreachable a crop is dropped at once
 * (pixels are never buffered), while track events — ids and timestamps only, or expression vectors with edge
 * classification — wait in a bounded buffer ({@link TrackEventBuffer}) and are sent once when Redis is back, so
 * visits still get finalised.
 *
 * Crops never reach Redis as pixels: they are sealed (AES-256-GCM, see CropKeyring) with a key that exists only
 * in memory, carry an expiry (`cropTtlMs`), and are refused while the crop backlog is over `cropBacklogCap`
 * (workers down or too slow: pixels would only pile up). Each crop's job id is also added to its visit's set
 * (`redisKeys.visitCrops`), which the visit's end waits on.
 */
export class BullJobSink implements JobSink {
  private readonly connection: Redis | Cluster;
  private readonly crops: Queue;
  private readonly tracks: Queue;
  /** Visit events on their way to Redis (waiting there while the link is down). */
  readonly trackBuffer: TrackEventBuffer;
  /** Retries the buffer now and then, should the link come back while no new event and no `ready` drains it. */
  private readonly retryTimer: NodeJS.Timeout;
  private readonly keyring: CropKeyring;
  private readonly cropTtlMs: number;
  private readonly backlogCap: number;
  private backlog = { count: 0, at: -Infinity };
  private refusing = false;
  private metrics: { refused: Counter; backlog: Gauge } | null = null;
  /** Crops refused because the backlog was over the cap (also in /metrics once registered). */
  cropsRefusedBacklog = 0;

  constructor(
    /** A redis:// or rediss:// URL (an ACL user's credentials in it), or a full config (TLS CA, cluster). */
    redisUrl: string | RedisConnectionConfig,
    /** The store's prefix, `redisLayout(QUEUE_PREFIX).store(storeId)`: every queue and key the sink touches. */
    private readonly prefix: string,
    private readonly logger: Logger,
    options: JobSinkOptions = {},
  ) {
    this.cropTtlMs = Math.min(options.cropTtlMs ?? DEFAULT_CROP_TTL_MS, MAX_CROP_TTL_MS);
    this.backlogCap = options.cropBacklogCap ?? DEFAULT_CROP_BACKLOG_CAP;
    this.trackBuffer = new TrackEventBuffer(logger, options.trackBuffer);
    this.retryTimer = setInterval(() => {
      if (this.trackBuffer.depth > 0) void this.flushTracks();
    }, TRACK_RETRY_MS).unref();
    // No ready check: ioredis would send INFO on every connect (to wait out a server still loading its data),
    // and the agent's ACL user is not granted INFO; a command sent while Redis loads fails like an outage.
    // No CLIENT SETINFO either (not granted; Redis ≥ 7.2): without a ready check ioredis declares the connection
    // ready once those replies settle, even when the socket closed meanwhile (it then never reconnects: a link
    // that accepts and drops connections, test/integration/agent-link.test.ts); with none sent, "ready" comes in
    // the same tick as "connect".
    this.connection = connectRedis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      enableReadyCheck: false,
      disableClientInfo: true,
    });
    this.connection.on("error", (err) => logger.debug({ err: err.message }, "redis connection error"));
    this.connection.on("ready", () => void this.flushTracks());
    // No version check either: BullMQ would read the server's version with INFO (the whole server's state:
    // not granted to agents); the centre runs a supported Redis (README, Run in production).
    this.crops = new Queue(QUEUES.crops, {
      connection: this.connection,
      prefix,
      skipVersionCheck: true,
      defaultJobOptions: JOB_OPTIONS[QUEUES.crops],
    });
    this.tracks = new Queue(QUEUES.tracks, {
      connection: this.connection,
      prefix,
      skipVersionCheck: true,
      defaultJobOptions: JOB_OPTIONS[QUEUES.tracks],
    });
    for (const q of [this.crops, this.tracks])
      q.on("error", (err) => logger.warn({ err: err.message, queue: q.name }, "queue error"));
    this.keyring = new CropKeyring(this.connection, prefix, logger, {
      cropTtlMs: this.cropTtlMs,
      ...(options.keyRotateMs ? { rotateMs: options.keyRotateMs } : {}),
    });
  }

  /** Adds the sink's own counters to the agent's /metrics registry. */
  registerMetrics(registry: Registry): void {
    this.trackBuffer.registerMetrics(registry);
    this.metrics = {
      refused: new Counter({
        name: "shelf_agent_crops_backlog_refused_total",
        help: "Crops not sent because the crop queue backlog was over CROP_BACKLOG_CAP",
        registers: [registry],
      }),
      backlog: new Gauge({
        name: "shelf_agent_crop_backlog",
        help: "Crops queued in Redis (waiting, delayed, active), as last counted",
        registers: [registry],
      }),
    };
  }

  async crop(job: CropJob): Promise<boolean> {
    if (this.connection.status !== "ready") return false;
    // Past the deadline (the link dropped mid-send) the crop counts as dropped; should it land after the reconnect,
    // it is one more sample of its visit, or none if the visit is already finalised.
    return withDeadline(this.sendCrop(job), LINK_DEADLINE_MS, () => {
      this.logger.warn("crop dropped: redis did not answer in time");
      return false;
    });
  }

  private async sendCrop(job: CropJob): Promise<boolean> {
    try {
      if (await this.overBacklog()) return false;
      const now = Date.now();
      const jobId = cropJobId(job.context.trackKey, job.capturedAt);
      const data: CropQueueJob = {
        context: job.context,
        capturedAt: job.capturedAt,
        box: job.box,
        detectionScore: job.detectionScore,
        expiresAt: Math.max(now, job.capturedAt) + this.cropTtlMs,
        crop: await this.keyring.seal(job, now),
      };
      const visitCrops = redisKeys.visitCrops(this.prefix, job.context);
      // Indexed before it is queued: a visit's end never misses a crop that is still on its way.
      await this.connection
        .multi()
        .sadd(visitCrops, jobId)
        .pexpire(visitCrops, this.cropTtlMs + 3_600_000)
        .exec();
      await this.crops.add("crop", data, { jobId });
      this.backlog.count++;
      return true;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "crop dropped: redis unavailable");
      return false;
    }
  }

  /** True while the crop backlog is over the cap (the crop is then refused and counted). */
  private async overBacklog(): Promise<boolean> {
    const now = Date.now();
    if (now - this.backlog.at >= BACKLOG_CHECK_MS) {
      const counts = await this.crops.getJobCounts("waiting", "delayed", "active", "prioritized", "paused");
      this.backlog = { count: Object.values(counts).reduce((a, n) => a + n, 0), at: now };
      this.metrics?.backlog.set(this.backlog.count);
    }
    const over = this.backlog.count >= this.backlogCap;
    if (over !== this.refusing) {
      this.refusing = over;
      if (over)
        this.logger.warn(
          { backlog: this.backlog.count, cap: this.backlogCap },
          "crop backlog over the cap: crops are not sent until workers catch up",
        );
      else
        this.logger.info({ backlog: this.backlog.count }, "crop backlog back under the cap: sending crops");
    }
    if (over) {
      this.cropsRefusedBacklog++;
      this.metrics?.refused.inc();
    }
    return over;
  }

  async track(event: TrackEvent): Promise<void> {
    this.trackBuffer.push(event);
    await this.flushTracks();
  }

  /** Sends the waiting visit events in order under their fixed job ids (a resend lands on the same job). */
  private async flushTracks(): Promise<void> {
    await this.trackBuffer.drain(async (event) => {
      if (this.connection.status !== "ready") throw new Error(`redis connection ${this.connection.status}`);
      await withDeadline(
        this.tracks.add(event.type, event, { jobId: trackJobId(event.type, event.context) }),
        LINK_DEADLINE_MS,
        () => {
          throw new Error("redis did not answer in time");
        },
      );
    });
  }

  /** Visit events waiting for Redis. */
  get pendingTrackEvents(): number {
    return this.trackBuffer.depth;
  }

  async close(): Promise<void> {
    clearInterval(this.retryTimer);
    await this.flushTracks();
    await Promise.all([this.crops.close(), this.tracks.close()]);
    this.keyring.clear();
    this.connection.disconnect();
  }
}
