import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { TrackEvent } from "@shelf/core";

/** Default bound on buffered track events: about a busy store's hour of visits. */
export const DEFAULT_TRACK_BUFFER_EVENTS = 10_000;
/** Default bound on the buffer's JSON size, bytes (edge-classified ends carry up to 120 vectors, ~10 kB each). */
export const DEFAULT_TRACK_BUFFER_BYTES = 16 * 1024 * 1024;
/** While events are being dropped, one log line per this many drops (the first is always logged). */
const DROP_LOG_EVERY = 1000;

export interface TrackBufferOptions {
  /** Most events held; past it the oldest go first. Default {@link DEFAULT_TRACK_BUFFER_EVENTS}. */
  maxEvents?: number;
  /** Most bytes (JSON text of the events) held; past it the oldest go first. Default {@link DEFAULT_TRACK_BUFFER_BYTES}. */
  maxBytes?: number;
  /** Clock for the age of the oldest event, ms since epoch. Default Date.now. */
  now?: () => number;
}

interface Held {
  event: TrackEvent;
  bytes: number;
  /** When it was buffered (clock of `now`), ms. */
  at: number;
}

/**
 * Visit events (ids, zone, times and — with edge classification — expression vectors; never pixels) waiting for
 * the link to the central Redis, in memory, in order. Every event goes through it: sent at once while the link is
 * up, kept while it is down, and sent when it returns. Delivery is at least once (an event leaves the buffer only
 * after Redis acknowledged it); the sender's fixed job ids (`trackJobId`) make it exactly once in the queue.
 *
 * Bounded by count and by bytes: when full, the oldest event is dropped, counted
 * (`shelf_agent_track_buffer_dropped_total`) and logged. In memory, not on disk: an agent restarted during an
 * outage loses what it held (the worker then finalises visits it saw start from the samples it has).
 */
export class TrackEventBuffer {
  private held: Held[] = [];
  private head = 0;
  private heldBytes = 0;
  private draining = false;
  private dropsInRow = 0;
  private waitingSince: number | null = null;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private metrics: { dropped: Counter; delivered: Counter } | null = null;
  /** Events dropped because the buffer was full, since start. */
  dropped = 0;
  /** Events delivered after waiting for the link (not sent at the first try), since start. */
  deliveredLate = 0;

  constructor(
    private readonly logger: Logger,
    options: TrackBufferOptions = {},
  ) {
    this.maxEvents = options.maxEvents ?? DEFAULT_TRACK_BUFFER_EVENTS;
    this.maxBytes = options.maxBytes ?? DEFAULT_TRACK_BUFFER_BYTES;
    this.now = options.now ?? Date.now;
    if (this.maxEvents < 1 || this.maxBytes < 1) throw new RangeError("track buffer bounds must be positive");
  }

  /** Events waiting. */
  get depth(): number {
    return this.held.length - this.head;
  }

  /** JSON bytes of the events waiting. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Age of the oldest waiting event, ms (0 when empty). */
  oldestAgeMs(): number {
    const first = this.held[this.head];
    return first ? Math.max(0, this.now() - first.at) : 0;
  }

  /** Adds the buffer's gauges and counters to the agent's /metrics registry. */
  registerMetrics(registry: Registry): void {
    const depth = () => this.depth;
    const bytes = () => this.bytes;
    const oldestS = () => this.oldestAgeMs() / 1000;
    new Gauge({
      name: "shelf_agent_track_buffer_depth",
      help: "Visit events (no pixels) waiting for the link to Redis",
      registers: [registry],
      collect() {
        this.set(depth());
      },
    });
    new Gauge({
      name: "shelf_agent_track_buffer_bytes",
      help: "JSON bytes of the visit events waiting for the link to Redis",
      registers: [registry],
      collect() {
        this.set(bytes());
      },
    });
    new Gauge({
      name: "shelf_agent_track_buffer_oldest_seconds",
      help: "Age of the oldest visit event waiting for the link to Redis (0 when none waits)",
      registers: [registry],
      collect() {
        this.set(oldestS());
      },
    });
    this.metrics = {
      dropped: new Counter({
        name: "shelf_agent_track_buffer_dropped_total",
        help: "Visit events dropped (oldest first) because the buffer was full during a link outage",
        registers: [registry],
      }),
      delivered: new Counter({
        name: "shelf_agent_track_buffer_delivered_late_total",
        help: "Visit events delivered after waiting for the link to Redis",
        registers: [registry],
      }),
    };
    this.metrics.dropped.inc(this.dropped);
    this.metrics.delivered.inc(this.deliveredLate);
  }

  /** Queues an event behind those waiting; drops the oldest while over a bound. */
  push(event: TrackEvent): void {
    const bytes = Buffer.byteLength(JSON.stringify(event));
    this.held.push({ event, bytes, at: this.now() });
    this.heldBytes += bytes;
    while (this.depth > 1 && (this.depth > this.maxEvents || this.heldBytes > this.maxBytes)) {
      const old = this.held[this.head++]!;
      this.heldBytes -= old.bytes;
      this.dropped++;
      this.metrics?.dropped.inc();
      if (this.dropsInRow++ % DROP_LOG_EVERY === 0)
        this.logger.error(
          {
            dropped: this.dropped,
            depth: this.depth,
            bytes: this.heldBytes,
            oldestAgeS: Math.round(this.oldestAgeMs() / 1000),
            type: old.event.type,
          },
          "visit event buffer full (link to Redis down too long): oldest event dropped",
        );
    }
    this.compact();
  }

  /**
   * Sends the waiting events in order, each removed only once `send` resolved; stops at the first failure (the
   * link is down: the rest wait). One drain at a time: a call while one runs returns at once.
   * @returns events sent by this call.
   */
  async drain(send: (event: TrackEvent) => Promise<void>): Promise<number> {
    if (this.draining) return 0;
    this.draining = true;
    let sent = 0;
    try {
      while (this.depth > 0) {
        const first = this.held[this.head]!;
        try {
          await send(first.event);
        } catch (err) {
          if (this.waitingSince === null) {
            this.waitingSince = this.now();
            this.logger.warn(
              { err: (err as Error).message, depth: this.depth },
              "link to Redis down: visit events wait in the buffer",
            );
          }
          return sent;
        }
        // An event pushed out while it was being sent is already counted as dropped: only remove what is still here.
        if (this.held[this.head] === first) {
          this.head++;
          this.heldBytes -= first.bytes;
        }
        sent++;
        if (this.waitingSince !== null) {
          this.deliveredLate++;
          this.metrics?.delivered.inc();
        }
      }
      if (this.waitingSince !== null) {
        this.logger.info(
          {
            deliveredLate: this.deliveredLate,
            dropped: this.dropped,
            waitedS: Math.round((this.now() - this.waitingSince) / 1000),
          },
          "link to Redis back: buffered visit events delivered",
        );
        this.waitingSince = null;
      }
      this.dropsInRow = 0;
      return sent;
    } finally {
      this.compact();
      this.draining = false;
    }
  }

  /** Drops the consumed head of the array now and then (amortised O(1) shifts). */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.held.length) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Longest the agent waits for Redis to acknowledge one command, ms. A command in flight when the link drops waits
 * for the reconnect (BullMQ waits for the connection's `ready`), which may be minutes away: the camera loop must
 * not wait with it.
 */
export const LINK_DEADLINE_MS = 2_000;

/**
 * `work`, or after `ms` without an answer, `onTimeout()` (its result, or its throw). `work` is not cancelled: if it
 * lands later, the fixed job ids make the retry a no-op.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (err) {
        reject(err as Error);
      }
    }, ms);
  });
  work.catch(() => undefined); // a late failure after the deadline is nobody's business
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
