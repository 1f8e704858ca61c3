import { z } from "zod";
import { solveAssignment } from "./assignment.ts";
import { iou } from "./boxes.ts";
import type { Box } from "./coords.ts";

/**
 * Tracker settings. Every field is optional on input and filled from the documented default;
 * unknown keys are rejected so that a misspelt camera setting fails loudly.
 */
export const ZIouTrackerConfig = z
  .object({
    /** Least IoU between a track's predicted box and a high-score detection to match them, 0…1. Default 0.3. */
    iouThreshold: z.number().min(0.01).max(1).default(0.3),
    /**
     * Least IoU for the second, low-score stage, 0…1. Stricter than `iouThreshold` because a
     * low-score detection is only believed when it sits where a track is expected. Default 0.5.
     */
    lowIouThreshold: z.number().min(0.01).max(1).default(0.5),
    /**
     * Inertia: consecutive frames a new track must be matched before it is confirmed, gets an id and
     * emits `start`. A tentative track that misses one frame is dropped, so a false positive shorter
     * than this never becomes a track. 1…100, default 3.
     */
    minHits: z.number().int().min(1).max(100).default(3),
    /**
     * Longest gap between two sightings of a confirmed track, ms; a longer gap ends it (`end`) and a
     * face seen afterwards gets a new id. Must exceed the frame interval. 1…60 000, default 1500.
     */
    maxAgeMs: z.number().min(1).max(60_000).default(1500),
    /** Detections scoring at least this are associated first and may start tracks, 0…1. Default 0.5. */
    highScore: z.number().min(0).max(1).default(0.5),
    /**
     * Detections scoring below this are ignored; between `lowScore` and `highScore` they may only
     * extend existing tracks (ByteTrack's second stage: keeps tracks alive through blur and partial
     * occlusion without letting noise start tracks). 0…1, default 0.1.
     */
    lowScore: z.number().min(0).max(1).default(0.1),
    /**
     * Weight of the newest velocity measurement in the exponentially smoothed box-centre velocity,
     * 0…1; 0 disables motion prediction (a track is expected where it was last seen). Default 0.5.
     */
    velocitySmoothing: z.number().min(0).max(1).default(0.5),
  })
  .strict()
  .refine((c) => c.lowScore <= c.highScore, {
    message: "lowScore must not exceed highScore",
    path: ["lowScore"],
  });
export type IouTrackerConfig = z.output<typeof ZIouTrackerConfig>;
export type IouTrackerConfigInput = z.input<typeof ZIouTrackerConfig>;

/** One face detection in a frame. */
export interface Detection {
  readonly box: Box<"FramePx">;
  /** Detector confidence, 0…1. */
  readonly score: number;
}

/** A confirmed track as of the latest update. */
export interface ActiveTrack {
  /** Ephemeral id, `${prefix}:${n}`: unique within one tracker (one agent run), meaningless outside it. */
  readonly id: string;
  /** Box of the latest matched detection, FramePx (not the prediction). */
  readonly box: Box<"FramePx">;
  /** Score of the latest matched detection. */
  readonly score: number;
  /** Frames in which the track was matched. */
  readonly hits: number;
  /** Time since first seen, ms. */
  readonly ageMs: number;
  /** Time of the first and of the latest matched detection, ms (the caller's clock). */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Index into this update's detections of the one matched to this track; null while it is unseen (coasting). */
  readonly detectionIndex: number | null;
}

/** Track lifecycle, emitted on change only: `start` when a track is confirmed, `end` when it is lost or flushed. */
export type TrackerEvent =
  | { readonly type: "start"; readonly trackId: string; readonly at: number; readonly track: ActiveTrack }
  | {
      readonly type: "end";
      readonly trackId: string;
      readonly at: number;
      readonly reason: "lost" | "flushed";
      readonly track: ActiveTrack;
    };

/** Result of one {@link IouTracker.update}. */
export interface TrackerUpdate {
  /** `end` events first (tracks lost before this frame), then `start` events, each in id order. */
  readonly events: TrackerEvent[];
  /** Every confirmed track, in id order, including those coasting through a short occlusion. */
  readonly active: ActiveTrack[];
}

interface Track {
  /** Creation order; the public id is only given on confirmation. */
  readonly serial: number;
  id: string | null;
  box: Box<"FramePx">;
  /** Smoothed box-centre velocity, px/ms. */
  vx: number;
  vy: number;
  velocitySamples: number;
  score: number;
  hits: number;
  readonly firstSeen: number;
  lastSeen: number;
  detectionIndex: number | null;
}

interface IndexedDetection extends Detection {
  readonly index: number;
}

/** Cost of a pair below the IoU threshold: above any real cost (1 − IoU ≤ 1), so matching maximises valid pairs first. */
const GATED = 2;

/**
 * Multi-object tracker on box overlap only, in the spirit of SORT and ByteTrack, with no appearance
 * features (nothing about a face is kept beyond its box, so a track cannot be re-identified later).
 *
 * Per update: tracks whose gap since last seen exceeds `maxAgeMs` end; every track's box is
 * predicted at the frame time with its smoothed velocity; then optimal (Hungarian) matching on
 * 1 − IoU in three stages — high-score detections to confirmed tracks, low-score detections to the
 * confirmed tracks left, high-score detections left to tentative tracks; unmatched tentative tracks
 * are dropped and unmatched high-score detections start tentative tracks. A tentative track is
 * confirmed after `minHits` consecutive matches.
 *
 * Prediction is what keeps ids through crossings and short occlusions: two faces passing each other
 * are each expected further along their own path, not at the crossing point.
 */
export class IouTracker {
  readonly config: IouTrackerConfig;
  private readonly prefix: string;
  private tracks: Track[] = [];
  private nextSerial = 0;
  private nextId = 1;
  private lastT = Number.NEGATIVE_INFINITY;

  /**
   * @param prefix - id prefix, e.g. a random id of this agent run, so ids never collide across runs.
   * @param config - overrides of the defaults in {@link ZIouTrackerConfig}.
   * @throws ZodError for an invalid config; RangeError for an empty prefix.
   */
  constructor(prefix: string, config: IouTrackerConfigInput = {}) {
    if (prefix.length === 0) throw new RangeError("tracker id prefix must not be empty");
    this.prefix = prefix;
    this.config = ZIouTrackerConfig.parse(config);
  }

  /**
   * Advances the tracker to time `tMs` with this frame's detections.
   *
   * @param detections - this frame's faces, FramePx; empty boxes and scores below `lowScore` are ignored.
   * @param tMs - frame time, ms, never decreasing. Call with no detections on empty frames too, so
   *   that lost tracks end on time.
   * @throws RangeError if `tMs` is not finite or goes back in time.
   */
  update(detections: readonly Detection[], tMs: number): TrackerUpdate {
    this.advanceClock(tMs);
    const { highScore, lowScore, iouThreshold, lowIouThreshold, maxAgeMs, minHits } = this.config;
    const events: TrackerEvent[] = [];

    for (const track of this.tracks) track.detectionIndex = null;
    const expired = this.tracks.filter((t) => tMs - t.lastSeen > maxAgeMs);
    this.tracks = this.tracks.filter((t) => tMs - t.lastSeen <= maxAgeMs);
    for (const track of expired) if (track.id) events.push(this.endEvent(track, tMs, "lost"));

    const usable = detections.flatMap((d, index): IndexedDetection[] =>
      d.score >= lowScore && Number.isFinite(d.score) && d.box.w > 0 && d.box.h > 0 && isFiniteBox(d.box)
        ? [{ ...d, index }]
        : [],
    );
    const high = usable.filter((d) => d.score >= highScore);
    const low = usable.filter((d) => d.score < highScore);
    const confirmed = this.tracks.filter((t) => t.id !== null);
    const tentative = this.tracks.filter((t) => t.id === null);

    const first = this.associate(confirmed, high, tMs, iouThreshold);
    const second = this.associate(first.unmatchedTracks, low, tMs, lowIouThreshold);
    const third = this.associate(tentative, first.unmatchedDetections, tMs, iouThreshold);
    for (const [track, detection] of [...first.matches, ...second.matches, ...third.matches])
      this.apply(track, detection, tMs);

    const dropped = new Set(third.unmatchedTracks);
    this.tracks = this.tracks.filter((t) => !dropped.has(t));
    for (const detection of third.unmatchedDetections) {
      this.tracks.push({
        serial: this.nextSerial++,
        id: null,
        box: detection.box,
        vx: 0,
        vy: 0,
        velocitySamples: 0,
        score: detection.score,
        hits: 1,
        firstSeen: tMs,
        lastSeen: tMs,
        detectionIndex: detection.index,
      });
    }

    const starts: TrackerEvent[] = [];
    for (const track of this.tracks) {
      if (track.id !== null || track.hits < minHits) continue;
      track.id = `${this.prefix}:${this.nextId++}`;
      starts.push({ type: "start", trackId: track.id, at: tMs, track: this.snapshot(track, tMs) });
    }
    return { events: [...events, ...starts], active: this.active(tMs) };
  }

  /**
   * Ends every confirmed track (e.g. when the camera stops) and forgets all tracks.
   *
   * @returns one `end` event per confirmed track, reason `flushed`, in id order.
   */
  flush(tMs: number): TrackerEvent[] {
    this.advanceClock(tMs);
    const events = this.tracks
      .filter((t) => t.id !== null)
      .sort((a, b) => a.serial - b.serial)
      .map((t) => this.endEvent({ ...t, detectionIndex: null }, tMs, "flushed"));
    this.tracks = [];
    return events;
  }

  private advanceClock(tMs: number): void {
    if (!Number.isFinite(tMs)) throw new RangeError(`tracker time must be finite, got ${tMs}`);
    if (tMs < this.lastT) throw new RangeError(`tracker time went back from ${this.lastT} to ${tMs} ms`);
    this.lastT = tMs;
  }

  /** Expected box of a track at `tMs`: last box moved by the smoothed centre velocity; size kept. */
  private predict(track: Track, tMs: number): Box<"FramePx"> {
    const dt = tMs - track.lastSeen;
    return { ...track.box, x: track.box.x + track.vx * dt, y: track.box.y + track.vy * dt };
  }

  private associate<D extends IndexedDetection>(
    tracks: readonly Track[],
    detections: readonly D[],
    tMs: number,
    minIou: number,
  ): { matches: [Track, D][]; unmatchedTracks: Track[]; unmatchedDetections: D[] } {
    if (tracks.length === 0 || detections.length === 0)
      return { matches: [], unmatchedTracks: [...tracks], unmatchedDetections: [...detections] };
    const predicted = tracks.map((t) => this.predict(t, tMs));
    const overlaps = predicted.map((p) => detections.map((d) => iou(p, d.box)));
    const cost = overlaps.map((row) => row.map((o) => (o >= minIou ? 1 - o : GATED)));
    const { rowToCol } = solveAssignment(cost);
    const matches: [Track, D][] = [];
    const matchedDetections = new Set<number>();
    const unmatchedTracks: Track[] = [];
    rowToCol.forEach((col, row) => {
      if (col >= 0 && overlaps[row]![col]! >= minIou) {
        matches.push([tracks[row]!, detections[col]!]);
        matchedDetections.add(col);
      } else {
        unmatchedTracks.push(tracks[row]!);
      }
    });
    return {
      matches,
      unmatchedTracks,
      unmatchedDetections: detections.filter((_, i) => !matchedDetections.has(i)),
    };
  }

  private apply(track: Track, detection: IndexedDetection, tMs: number): void {
    const dt = tMs - track.lastSeen;
    const alpha = this.config.velocitySmoothing;
    if (dt > 0 && alpha > 0) {
      const vx = (detection.box.x + detection.box.w / 2 - (track.box.x + track.box.w / 2)) / dt;
      const vy = (detection.box.y + detection.box.h / 2 - (track.box.y + track.box.h / 2)) / dt;
      // The first measurement is taken whole: smoothing it against the initial 0 would under-predict.
      const weight = track.velocitySamples === 0 ? 1 : alpha;
      track.vx = weight * vx + (1 - weight) * track.vx;
      track.vy = weight * vy + (1 - weight) * track.vy;
      track.velocitySamples++;
    }
    track.box = detection.box;
    track.score = detection.score;
    track.hits++;
    track.lastSeen = tMs;
    track.detectionIndex = detection.index;
  }

  private snapshot(track: Track, tMs: number): ActiveTrack {
    return {
      id: track.id!,
      box: track.box,
      score: track.score,
      hits: track.hits,
      ageMs: tMs - track.firstSeen,
      firstSeen: track.firstSeen,
      lastSeen: track.lastSeen,
      detectionIndex: track.detectionIndex,
    };
  }

  private endEvent(track: Track, tMs: number, reason: "lost" | "flushed"): TrackerEvent {
    return { type: "end", trackId: track.id!, at: tMs, reason, track: this.snapshot(track, tMs) };
  }

  private active(tMs: number): ActiveTrack[] {
    return this.tracks
      .filter((t) => t.id !== null)
      .sort((a, b) => a.serial - b.serial)
      .map((t) => this.snapshot(t, tMs));
  }
}

function isFiniteBox(b: Box<"FramePx">): boolean {
  return Number.isFinite(b.x) && Number.isFinite(b.y) && Number.isFinite(b.w) && Number.isFinite(b.h);
}
