import type { Logger } from "pino";
import {
  MAX_EDGE_SAMPLES,
  faceFloorPoint,
  headPlaneFromFloor,
  homographyFromMatrix,
  IouTracker,
  locateItem,
  locateZone,
  observePlace,
  type InertiaState,
  type Homography,
  type ClassifiedSample,
  type ShelfZone,
  type TrackContext,
} from "@shelf/core";
import {
  cropFace,
  FaceScanner,
  type DetectedFace,
  type FaceAnalyzer,
  type FaceCrop,
  type FaceScannerOptions,
  type RgbFrame,
} from "@shelf/inference";
import type { CameraConfig } from "./camera-config.ts";
import type { JobSink } from "./job-sink.ts";
import type { AgentMetrics } from "./metrics.ts";

export interface PipelineOptions {
  /** Crops sampled per second per visit. Default 2. */
  cropsPerSecond?: number;
  /** Side of the square crop sent to the worker, px (grey). Default 64. */
  cropSize?: number;
  /** Farthest a floor point may lie outside a zone and still count for it, metres. Default 0.5. */
  maxZoneDistanceM?: number;
  /**
   * Zone inertia: analysed frames a track must be seen at a zone/item before its visit starts there.
   * Default 3 (0.6 s at 5 fps).
   */
  zoneInertiaFrames?: number;
  /**
   * Analysed frames a track at a zone must be seen at another zone/item (or at none) before its visit moves:
   * stops a face jittering across a zone edge from splitting one visit in two. Default 5 (1 s at 5 fps);
   * `npm run eval:visits` measures both settings.
   */
  zoneSwitchFrames?: number;
  /** Where the detector looks in each frame (regions around followed faces, motion, periodic full scans). */
  scanner?: FaceScannerOptions;
}

/** One track's stay at one zone and item: becomes one interaction. */
interface Visit {
  context: TrackContext;
  startedAt: number;
  lastSeenAt: number;
  lastCropAt: number;
  cropsSent: number;
  /** Crops taken but not sent (Redis link down, backlog cap): never buffered. */
  cropsDropped: number;
  /** Edge classification: the visit's expression vectors so far (no pixels), sent with its end. */
  samples: ClassifiedSample[];
  /** Edge classification: the crop interval's multiple, doubled each time a long visit's samples are thinned. */
  sampleStride: number;
}

/**
 * Per-camera analysis: detect (a {@link FaceScanner}: regions, motion, periodic full scans) → track (IoU only)
 * → project to the floor → zone and item, with inertia → sample crops.
 * Faces mapped to staff-only zones, or to no zone, are never cropped nor classified. Emits a visit's start
 * and end (not per frame). Pixels exist only in the frame being analysed and the crops handed to the sink.
 */
export class CameraPipeline {
  private readonly tracker: IouTracker;
  private readonly visits = new Map<string, Visit>();
  private readonly places = new Map<string, InertiaState>();
  private readonly scanner: FaceScanner;
  private visitCounter = 0;
  private config!: CameraConfig;
  private zones: ShelfZone[] = [];
  private floorH: Homography<"FramePx", "FloorM"> | null = null;
  private headPlane: Homography<"FramePx", "FloorM"> | undefined;

  constructor(
    config: CameraConfig,
    private readonly deps: {
      analyzer: Pick<FaceAnalyzer, "detect">;
      /**
       * Classification at the edge (`AGENT_CLASSIFY=1`): the expression model runs here, on the same crop the
       * worker would get, and only the probability vectors leave the store, with the visit's end. Without it
       * (default) crops go to the worker, sealed.
       */
      classifier?: Pick<FaceAnalyzer, "classify">;
      sink: JobSink;
      logger: Logger;
      metrics?: AgentMetrics;
      /** Unique per agent run: track keys never repeat across restarts. */
      runId: string;
      options?: PipelineOptions;
    },
  ) {
    this.tracker = new IouTracker(`${deps.runId}:${config.cameraId}`);
    this.scanner = new FaceScanner(deps.analyzer, deps.options?.scanner);
    this.reconfigure(config);
  }

  /**
   * Applies a new calibration / zones / planogram (hot reload). Open visits end: their mapping changed. Each
   * track's place is forgotten too, so a track enters a zone of the new mapping only after the zone inertia
   * (a place decided under the old mapping, e.g. a zone now staff-only, never starts a visit).
   */
  reconfigure(config: CameraConfig): Promise<void> {
    const ending = this.endAllVisits();
    this.places.clear();
    this.config = config;
    this.floorH = config.calibration ? homographyFromMatrix(config.calibration.homography) : null;
    this.headPlane = undefined;
    if (this.floorH && config.calibration) {
      // Project faces on the chin-height plane when the floor calibration implies a plausible pinhole
      // camera; otherwise fall back to estimating the feet below the face (see faceFloorPoint).
      try {
        this.headPlane = headPlaneFromFloor(
          this.floorH,
          { width: config.width, height: config.height },
          config.calibration.headHeightM,
        ).homography;
      } catch (err) {
        this.deps.logger.info(
          { reason: (err as Error).message },
          "no head-height plane; using the feet estimate",
        );
      }
    }
    this.zones = config.zones;
    return ending;
  }

  get cameraId(): string {
    return this.config.cameraId;
  }

  async process(frame: RgbFrame, capturedAt: number): Promise<{ faces: DetectedFace[] }> {
    const camera = this.config.cameraId;
    const m = this.deps.metrics;
    const started = performance.now();
    const { faces, cropFraming } = await this.scanner.scan(frame, capturedAt);
    m?.detectSeconds.observe({ camera }, (performance.now() - started) / 1000);
    m?.framesAnalysed.inc({ camera });
    m?.faces.inc({ camera }, faces.length);

    const { events, active } = this.tracker.update(
      faces.map((f) => ({ box: f.box, score: f.score })),
      capturedAt,
    );
    for (const e of events)
      if (e.type === "end") {
        this.places.delete(e.track.id);
        await this.endVisit(e.track.id, e.track.lastSeen);
      }
    m?.tracks.set({ camera }, active.length);

    const H = this.config.calibration
      ? homographyFromMatrix<"FramePx", "FloorM">(this.config.calibration.homography)
      : null;
    for (const track of active) {
      // Not seen in this frame (coasting through an occlusion): nothing to map or crop.
      const face = track.detectionIndex === null ? undefined : faces[track.detectionIndex];
      if (!H || !face) continue;
      const { floor } = faceFloorPoint(track.box, { width: frame.width, height: frame.height }, H, {
        headPlane: this.headPlane,
      });
      const hit = locateZone(floor, this.zones, { maxDistanceM: this.deps.options?.maxZoneDistanceM ?? 0.5 });
      let seenZone = hit?.zone ?? null;
      const staff = seenZone?.staffOnly === true;
      if (staff) {
        m?.staffSkipped.inc({ camera });
        seenZone = null; // staff are not shoppers: no crop, no classification
      }
      const seen = { zoneId: seenZone?.id ?? null, itemId: seenZone ? locateItem(floor, seenZone) : null };
      const inertia = observePlace(
        this.places.get(track.id),
        seen,
        capturedAt,
        this.deps.options?.zoneInertiaFrames ?? 3,
        this.deps.options?.zoneSwitchFrames ?? 5,
      );
      this.places.set(track.id, inertia.state);
      const { zoneId, itemId } = inertia.state.place;
      let visit = this.visits.get(track.id);
      if (visit && (visit.context.zoneId !== zoneId || visit.context.itemId !== itemId)) {
        await this.endVisit(track.id, visit.lastSeenAt);
        visit = undefined;
      }
      if (!zoneId) continue;
      if (!visit) {
        const startedAt = inertia.changed ? inertia.since : capturedAt;
        visit = {
          context: {
            storeId: this.config.storeId,
            cameraId: camera,
            zoneId,
            itemId,
            trackKey: `${track.id}:${++this.visitCounter}`,
            calibrationVersion: this.config.calibration!.version,
          },
          startedAt,
          lastSeenAt: capturedAt,
          lastCropAt: -Infinity,
          cropsSent: 0,
          cropsDropped: 0,
          samples: [],
          sampleStride: 1,
        };
        this.visits.set(track.id, visit);
        // With edge classification the end alone carries the visit: a start would only let the worker finalise a
        // visit whose agent went silent, from samples it never gets here (they die with the agent's memory).
        if (!this.deps.classifier) await this.send({ type: "start", context: visit.context, at: startedAt });
      }
      visit.lastSeenAt = capturedAt;
      const interval = (1000 / (this.deps.options?.cropsPerSecond ?? 2)) * visit.sampleStride;
      // Never a crop from a frame that put the face in a staff-only zone, whatever the visit's zone.
      if (!staff && face.quality.ok && capturedAt - visit.lastCropAt >= interval) {
        const crop = cropFace(frame, face.box, {
          size: this.deps.options?.cropSize ?? 64,
          channels: 1,
          ...cropFraming,
        });
        if (this.deps.classifier) {
          await this.classifyHere(visit, crop, capturedAt);
          continue;
        }
        const sent = await this.deps.sink.crop({
          context: visit.context,
          capturedAt,
          box: { x: face.box.x, y: face.box.y, w: face.box.w, h: face.box.h },
          detectionScore: Math.min(1, Math.max(0, face.score)),
          crop: {
            width: crop.width,
            height: crop.height,
            channels: crop.channels,
            data: Buffer.from(crop.data).toString("base64"),
          },
        });
        if (sent) {
          visit.cropsSent++;
          visit.lastCropAt = capturedAt;
          m?.cropsEnqueued.inc({ camera });
        } else {
          visit.cropsDropped++;
          m?.cropsDropped.inc({ camera });
        }
      }
    }
    return { faces };
  }

  /**
   * Edge classification of one crop: its probability vector joins the visit's samples, and the pixels are
   * zeroed. A visit longer than MAX_EDGE_SAMPLES crops keeps every other sample and samples half as often
   * from then on, so its vectors still spread evenly over the whole stay.
   */
  private async classifyHere(visit: Visit, crop: FaceCrop, capturedAt: number): Promise<void> {
    const camera = this.config.cameraId;
    const m = this.deps.metrics;
    const started = performance.now();
    let result;
    try {
      [result] = await this.deps.classifier!.classify([crop]);
    } finally {
      crop.data.fill(0);
    }
    m?.classifySeconds.observe({ camera }, (performance.now() - started) / 1000);
    visit.lastCropAt = capturedAt;
    if (result?.status !== "ok") {
      m?.facesUnclassified.inc({ camera });
      return;
    }
    m?.facesClassified.inc({ camera });
    visit.samples.push({ capturedAt, probs: compactProbs(result.probs) });
    if (visit.samples.length >= MAX_EDGE_SAMPLES) {
      visit.samples = visit.samples.filter((_, i) => i % 2 === 0);
      visit.sampleStride *= 2;
    }
  }

  /** Ends every track and visit (shutdown, end of a file, reconfiguration). */
  async flush(at: number): Promise<void> {
    for (const e of this.tracker.flush(at))
      if (e.type === "end") {
        this.places.delete(e.track.id);
        await this.endVisit(e.track.id, e.track.lastSeen);
      }
    await this.endAllVisits();
  }

  private async endAllVisits(): Promise<void> {
    for (const [trackId, visit] of [...this.visits]) await this.endVisit(trackId, visit.lastSeenAt);
  }

  private async endVisit(trackId: string, lastSeen: number): Promise<void> {
    const visit = this.visits.get(trackId);
    if (!visit) return;
    this.visits.delete(trackId);
    await this.send({
      type: "end",
      context: visit.context,
      startedAt: visit.startedAt,
      endedAt: Math.max(visit.startedAt, Math.min(lastSeen, visit.lastSeenAt)),
      cropsSent: visit.cropsSent,
      ...(visit.cropsDropped > 0 ? { cropsDropped: visit.cropsDropped } : {}),
      ...(visit.samples.length > 0 ? { samples: visit.samples } : {}),
    });
  }

  private async send(event: Parameters<JobSink["track"]>[0]): Promise<void> {
    const started = performance.now();
    await this.deps.sink.track(event);
    this.deps.metrics?.queueLatency.observe(
      { camera: this.config.cameraId },
      (performance.now() - started) / 1000,
    );
  }
}

/**
 * A probability vector with 4 decimals (what crosses the link: ~50 bytes of JSON instead of ~130); the rounding
 * moves the sum by at most 7 × 0.00005, inside the contract's 0.001.
 */
export function compactProbs(probs: readonly number[]): ClassifiedSample["probs"] {
  return probs.map((p) => Math.round(p * 10_000) / 10_000) as unknown as ClassifiedSample["probs"];
}
