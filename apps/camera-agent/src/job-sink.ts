import { Redis } from "ioredis";
import { Queue } from "bullmq";
import type { Logger } from "pino";
import { cropJobId, JOB_OPTIONS, QUEUES, type CropJob, type TrackEvent } from "@shelf/core";

/** Where the pipeline sends its jobs (BullMQ in production). */
export interface JobSink {
  /** Resolves false when the crop was dropped (Redis unreachable): the caller counts it, nothing is buffered. */
  crop(job: CropJob): Promise<boolean>;
  track(event: TrackEvent): Promise<void>;
  close(): Promise<void>;
}

/** Track events (no pixels) kept while Redis is down, at most this many; the oldest go first. */
const MAX_PENDING_TRACK_EVENTS = 10_000;

/**
 * BullMQ producer. The connection has no offline queue: while Redis is unreachable a crop is dropped at once
 * (pixels are never buffered), while track events — ids and timestamps only — wait in a bounded list and are
 * sent when Redis is back, so visits still get finalised.
 */
export class BullJobSink implements JobSink {
  private readonly connection: Redis;
  private readonly crops: Queue;
  private readonly tracks: Queue;
  private readonly pendingTracks: TrackEvent[] = [];
  private flushing = false;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.connection = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.connection.on("error", (err) => logger.debug({ err: err.message }, "redis connection error"));
    this.connection.on("ready", () => void this.flushTracks());
    this.crops = new Queue(QUEUES.crops, {
      connection: this.connection,
      prefix,
      defaultJobOptions: JOB_OPTIONS[QUEUES.crops],
    });
    this.tracks = new Queue(QUEUES.tracks, {
      connection: this.connection,
      prefix,
      defaultJobOptions: JOB_OPTIONS[QUEUES.tracks],
    });
    for (const q of [this.crops, this.tracks])
      q.on("error", (err) => logger.warn({ err: err.message, queue: q.name }, "queue error"));
  }

  async crop(job: CropJob): Promise<boolean> {
    if (this.connection.status !== "ready") return false;
    try {
      await this.crops.add("crop", job, { jobId: cropJobId(job.context.trackKey, job.capturedAt) });
      return true;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "crop dropped: redis unavailable");
      return false;
    }
  }

  async track(event: TrackEvent): Promise<void> {
    this.pendingTracks.push(event);
    if (this.pendingTracks.length > MAX_PENDING_TRACK_EVENTS) {
      this.pendingTracks.shift();
      this.logger.error("track event buffer full; oldest event dropped");
    }
    await this.flushTracks();
  }

  private async flushTracks(): Promise<void> {
    if (this.flushing || this.connection.status !== "ready") return;
    this.flushing = true;
    try {
      while (this.pendingTracks.length > 0) {
        const event = this.pendingTracks[0]!;
        const jobId = `track_${event.type}_${event.context.trackKey}_${event.context.zoneId}`.replaceAll(
          ":",
          "_",
        );
        await this.tracks.add(event.type, event, { jobId });
        this.pendingTracks.shift();
      }
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message, pending: this.pendingTracks.length },
        "track events wait for redis",
      );
    } finally {
      this.flushing = false;
    }
  }

  get pendingTrackEvents(): number {
    return this.pendingTracks.length;
  }

  async close(): Promise<void> {
    await this.flushTracks();
    await Promise.all([this.crops.close(), this.tracks.close()]);
    this.connection.disconnect();
  }
}
