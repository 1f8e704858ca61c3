import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { MAX_EDGE_SAMPLES, ZCropJob, ZTrackEvent, type CropJob, type TrackEvent } from "@shelf/core";
import {
  CROP_FRAMING,
  type DetectedFace,
  type FaceAnalyzer,
  type FaceCrop,
  type RgbFrame,
} from "@shelf/inference";
import type { CameraConfig } from "./camera-config.ts";
import type { JobSink } from "./job-sink.ts";
import { createAgentMetrics } from "./metrics.ts";
import { CameraPipeline, type PipelineOptions } from "./pipeline.ts";

/**
 * The camera pipeline on synthetic frames, with a scripted detector (the analyzer is the pipeline's injected
 * dependency; detection itself is tested in packages/inference and on real footage in
 * test/integration/agent.test.ts). Everything after detection is real: FaceScanner, IouTracker, the floor
 * projection, zone and item lookup, zone inertia, crop sampling and cropping.
 *
 * The calibration maps 1 frame px to 1 cm of floor (a camera looking straight down, so the agent falls back
 * to the feet estimate): a face's floor x is its box centre x / 100 m. Zones are strips across the floor.
 */

const logger = pino({ level: "silent" });
const W = 640;
const H = 480;
const FRAME_MS = 200; // 5 fps
const T0 = 1_700_000_000_000;
const SIDE = 60; // face box side, px
const RUN = "run1";

const strip = (x0: number, x1: number) => [
  { x: x0, y: -1 },
  { x: x1, y: -1 },
  { x: x1, y: 6 },
  { x: x0, y: 6 },
];
const ZONES: CameraConfig["zones"] = [
  {
    id: "aisle-a",
    polygon: strip(0, 1.5),
    shelfLine: [
      { x: 0, y: -1 },
      { x: 1.5, y: -1 },
    ],
    staffOnly: false,
    // item-1 at 0–0.75 m along the shelf, item-2 at 0.75–1.5 m.
    slots: [
      { itemId: "item-1", start: 0, end: 0.5, level: 0 },
      { itemId: "item-2", start: 0.5, end: 1, level: 0 },
    ],
  },
  { id: "till", polygon: strip(2.5, 4), staffOnly: true, slots: [] },
  {
    id: "aisle-c",
    polygon: strip(5, 6.4),
    staffOnly: false,
    slots: [{ itemId: "item-3", start: 0, end: 1, level: 0 }],
  },
];

const config = (over: Partial<CameraConfig> = {}): CameraConfig => ({
  storeId: "store-1",
  cameraId: "cam-1",
  name: "Aisle cam",
  sourceUrl: "local:test",
  sourceCredentials: null,
  allowlist: [],
  width: W,
  height: H,
  analysisFps: 5,
  calibration: { version: 3, homography: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 1], headHeightM: 1.5 },
  zones: ZONES,
  ...over,
});

/** A face centred at `cx` px (floor x = cx / 100 m). */
const face = (cx: number, ok = true): DetectedFace => ({
  box: { x: cx - SIDE / 2, y: 40, w: SIDE, h: SIDE },
  score: 0.9,
  quality: { ok, reasons: ok ? [] : ["too-blurred"], sizePx: SIDE },
});

/** A frame with a diagonal grey-level ramp, so crops of different places differ. */
const frame: RgbFrame = {
  width: W,
  height: H,
  channels: 3,
  data: Uint8Array.from({ length: W * H * 3 }, (_, i) => (Math.floor(i / 3) % W) % 256),
};

/** The job sink as the pipeline sees it, in memory, holding each job to the queue contract. */
class RecordingSink implements JobSink {
  readonly crops: CropJob[] = [];
  readonly tracks: TrackEvent[] = [];
  accept = true;
  async crop(job: CropJob): Promise<boolean> {
    const parsed = ZCropJob.parse(job);
    if (this.accept) this.crops.push(parsed);
    return this.accept;
  }
  async track(event: TrackEvent): Promise<void> {
    this.tracks.push(ZTrackEvent.parse(event));
  }
  async close(): Promise<void> {}
  get starts() {
    return this.tracks.filter((e) => e.type === "start");
  }
  get ends() {
    return this.tracks.filter((e): e is Extract<TrackEvent, { type: "end" }> => e.type === "end");
  }
}

/**
 * A pipeline whose detector answers, for each frame, what the script says is in it. A full scan every frame
 * (`fullScanMs: 0`), so the scanner always asks the detector.
 */
function setup(
  opts: {
    options?: PipelineOptions;
    config?: Partial<CameraConfig>;
    classifier?: Pick<FaceAnalyzer, "classify">;
  } = {},
) {
  const sink = new RecordingSink();
  const metrics = createAgentMetrics();
  let inView: DetectedFace[] = [];
  const analyzer: Pick<FaceAnalyzer, "detect"> = {
    detect: async () => ({
      faces: inView.map((x) => ({ ...x, box: { ...x.box } })),
      cropFraming: CROP_FRAMING.blazeface,
      timings: {},
      frame,
    }),
  };
  const pipeline = new CameraPipeline(config(opts.config), {
    analyzer,
    ...(opts.classifier ? { classifier: opts.classifier } : {}),
    sink,
    logger,
    metrics,
    runId: RUN,
    options: { scanner: { fullScanMs: 0 }, maxZoneDistanceM: 0.2, ...opts.options },
  });
  let i = 0;
  /** Feeds `n` frames with these faces in view; returns the capture time of the last one. */
  const feed = async (n: number, faces: DetectedFace[]): Promise<number> => {
    inView = faces;
    let at = 0;
    for (let k = 0; k < n; k++) {
      at = T0 + i++ * FRAME_MS;
      await pipeline.process(frame, at);
    }
    return at;
  };
  const at = (index: number) => T0 + index * FRAME_MS;
  return { sink, pipeline, feed, at, metrics, frames: () => i };
}

const sum = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await m.get()).values.reduce((a, v) => a + v.value, 0);

describe("CameraPipeline", () => {
  it("a shopper at a shelf: one visit, started after the zone inertia, crops at the sampling rate, one end", async () => {
    const { sink, feed, at } = setup();
    await feed(10, [face(30)]); // frames 0–9 at item-1 of aisle-a
    // The tracker confirms the face at its 3rd frame (index 2); the zone needs 3 frames more of inertia
    // (indexes 2, 3, 4): the visit starts at frame 4, dated from frame 2, when it was first seen there.
    expect(sink.starts).toHaveLength(1);
    const start = sink.starts[0]!;
    expect(start).toMatchObject({
      type: "start",
      at: at(2),
      context: {
        storeId: "store-1",
        cameraId: "cam-1",
        zoneId: "aisle-a",
        itemId: "item-1",
        calibrationVersion: 3,
      },
    });
    expect(start.context.trackKey.startsWith(`${RUN}:cam-1:`)).toBe(true);
    // 2 crops a second: frames 4 and 7 (600 ms apart; frame 6 is only 400 ms after 4).
    expect(sink.crops.map((c) => c.capturedAt)).toEqual([at(4), at(7)]);
    for (const c of sink.crops) {
      expect(c.context).toEqual(start.context);
      expect(c.box).toEqual(face(30).box);
      expect(c.detectionScore).toBe(0.9);
      expect(c.crop).toMatchObject({ width: 64, height: 64, channels: 1 });
      expect(Buffer.from(c.crop.data, "base64")).toHaveLength(64 * 64);
    }
    expect(sink.ends).toEqual([]);

    // The face leaves; the tracker ends it once unseen for longer than its max age (1.5 s).
    await feed(10, []);
    expect(sink.ends).toEqual([
      { type: "end", context: start.context, startedAt: at(2), endedAt: at(9), cropsSent: 2 },
    ]);
    // Track events carry ids and times only: no pixels anywhere but in crop jobs.
    for (const e of sink.tracks) expect(JSON.stringify(e)).not.toMatch(/[A-Za-z0-9+/]{200}/);
  });

  it("a crop is the face's own pixels: faces at different places give different crops", async () => {
    const { sink, feed } = setup();
    await feed(5, [face(30), face(575)]);
    const byZone = new Map(sink.crops.map((c) => [c.context.zoneId, c.crop.data]));
    expect([...byZone.keys()].sort()).toEqual(["aisle-a", "aisle-c"]);
    expect(byZone.get("aisle-a")).not.toEqual(byZone.get("aisle-c"));
  });

  it("zone inertia: a face jittering across an item edge for fewer than the switch frames keeps its visit", async () => {
    const { sink, feed, at } = setup();
    await feed(6, [face(72)]); // item-1 (0.72 m); visit starts at frame 4
    await feed(2, [face(78)]); // 2 frames at item-2 (0.78 m): below the 5 switch frames
    await feed(3, [face(72)]);
    expect(sink.starts).toHaveLength(1);
    expect(sink.ends).toEqual([]);

    await feed(5, [face(78)]); // frames 11–15 at item-2: the visit moves at frame 15
    expect(sink.starts.map((s) => [s.context.itemId, s.at])).toEqual([
      ["item-1", at(2)],
      ["item-2", at(11)],
    ]);
    // The visit in force lasts until the switch is decided: it ends at the last frame before it (14), so its
    // dwell overlaps the next visit's by the switch frames (11–14).
    expect(sink.ends).toHaveLength(1);
    expect(sink.ends[0]).toMatchObject({ context: { itemId: "item-1" }, endedAt: at(14) });
    expect(sink.ends[0]!.context.trackKey).not.toBe(sink.starts[1]!.context.trackKey);
  });

  it("a face seen at a zone for fewer frames than the inertia starts no visit", async () => {
    const { sink, feed } = setup({ options: { zoneInertiaFrames: 5 } });
    await feed(6, [face(30)]); // confirmed at frame 2: 4 frames at the zone, one short
    await feed(10, []);
    expect(sink.tracks).toEqual([]);
    expect(sink.crops).toEqual([]);
  });

  it("staff-only zones: the face is tracked but never cropped, and starts no visit; a shopper beside it is", async () => {
    const { sink, feed, metrics } = setup();
    await feed(8, [face(30), face(325)]); // a shopper at aisle-a, staff at the till
    await feed(10, []);
    expect(await sum(metrics.faces)).toBe(16);
    expect(await sum(metrics.staffSkipped)).toBeGreaterThan(0);
    expect(sink.crops.length).toBeGreaterThan(0);
    expect(new Set(sink.crops.map((c) => c.context.zoneId))).toEqual(new Set(["aisle-a"]));
    expect(sink.crops.every((c) => c.box.x === face(30).box.x)).toBe(true);
    expect(new Set(sink.tracks.map((e) => e.context.zoneId))).toEqual(new Set(["aisle-a"]));
  });

  it("a shopper walking into a staff-only zone: no crop is taken there and their visit there never starts", async () => {
    const { sink, feed } = setup({ options: { zoneSwitchFrames: 2 } });
    await feed(6, [face(140)]); // aisle-a, item-2 (1.4 m)
    // Walk right 10 px a frame (followed by IoU) into the till (2.5–4 m, staff only), and stay there.
    for (let cx = 150; cx <= 300; cx += 10) await feed(1, [face(cx)]);
    await feed(8, [face(300)]);
    await feed(10, []);
    expect(sink.crops.length).toBeGreaterThan(0);
    // No crop from where the face could count for the till (2.3 m with the 0.2 m tolerance).
    expect(sink.crops.every((c) => (c.box.x + SIDE / 2) / 100 < 2.3)).toBe(true);
    expect(sink.tracks.some((e) => e.context.zoneId === "till")).toBe(false);
    expect(sink.ends.map((e) => e.context.trackKey).sort()).toEqual(
      sink.starts.map((e) => e.context.trackKey).sort(),
    );
  });

  it("a face seen in a staff-only zone next to the shelf is not cropped, even while its visit is still in force", async () => {
    const zones = [ZONES[0]!, { ...ZONES[1]!, polygon: strip(1.5, 3) }]; // the till right beside aisle-a
    const { sink, feed, at } = setup({ config: { zones } });
    await feed(6, [face(140)]); // visit at aisle-a from frame 4, crop at frame 4
    await feed(3, [face(160)]); // frames 6–8 at the till: fewer than the 5 switch frames, the visit stays
    await feed(3, [face(140)]); // back: crop due again (frame 9)
    expect(sink.starts).toHaveLength(1);
    expect(sink.crops.map((c) => [c.capturedAt, c.box.x + SIDE / 2])).toEqual([
      [at(4), 140],
      [at(9), 140],
    ]);
  });

  it("a face at no zone, or of poor quality, is never cropped", async () => {
    const { sink, feed } = setup();
    await feed(6, [face(200)]); // 2 m: between zones
    await feed(10, []);
    expect(sink.tracks).toEqual([]);

    const q = setup();
    await q.feed(8, [face(30, false)]); // at a zone, but too blurred to classify
    await q.feed(10, []);
    expect(q.sink.crops).toEqual([]);
    expect(q.sink.ends).toMatchObject([{ cropsSent: 0 }]); // the visit is still counted as one
  });

  it("crops the sink drops (Redis unreachable) are counted, not buffered, and not claimed by the visit's end", async () => {
    const { sink, feed, metrics } = setup();
    sink.accept = false;
    await feed(8, [face(30)]);
    sink.accept = true;
    await feed(4, [face(30)]);
    await feed(10, []);
    // A refused crop is tried again on the next frame: frames 4–7 are dropped, 8 and 11 (600 ms later) sent.
    expect(await sum(metrics.cropsDropped)).toBe(4);
    expect(sink.crops.map((c) => c.capturedAt)).toEqual([T0 + 8 * FRAME_MS, T0 + 11 * FRAME_MS]);
    expect(sink.ends).toMatchObject([{ cropsSent: 2 }]);
  });

  it("an uncalibrated camera tracks faces and sends nothing", async () => {
    const { sink, feed, metrics } = setup({ config: { calibration: null } });
    await feed(8, [face(30)]);
    await feed(10, []);
    expect(await sum(metrics.faces)).toBe(8);
    expect(sink.tracks).toEqual([]);
    expect(sink.crops).toEqual([]);
  });

  it("a new calibration ends open visits (their mapping changed); flush ends the rest", async () => {
    const { sink, feed, pipeline } = setup();
    await feed(6, [face(30)]);
    expect(sink.starts).toHaveLength(1);
    // Staff mark aisle-a staff-only: the open visit ends at once, and the face is no longer cropped there.
    await pipeline.reconfigure(
      config({ zones: ZONES.map((z) => ({ ...z, staffOnly: z.id === "aisle-a" })) }),
    );
    expect(sink.ends).toMatchObject([{ context: { zoneId: "aisle-a" }, endedAt: T0 + 5 * FRAME_MS }]);
    const cropsBefore = sink.crops.length;
    await feed(6, [face(30)]);
    expect(sink.starts).toHaveLength(1);
    expect(sink.crops).toHaveLength(cropsBefore);

    // And back: the same face starts a new visit after the inertia; flush (camera stops) ends it.
    await pipeline.reconfigure(config());
    const last = await feed(4, [face(30)]);
    expect(sink.starts).toHaveLength(2);
    expect(sink.starts[1]!.context.trackKey).not.toBe(sink.starts[0]!.context.trackKey);
    await pipeline.flush(last);
    expect(sink.ends).toHaveLength(2);
    expect(sink.ends[1]).toMatchObject({ context: sink.starts[1]!.context, endedAt: last });
  });

  describe("classification at the edge (AGENT_CLASSIFY)", () => {
    /** A scripted expression model: "happy" with a long tail of decimals; keeps what it was given. */
    function scriptedClassifier() {
      const seen: FaceCrop[] = [];
      const probs = [0.0123456, 0.0011111, 0.0200001, 0.8765432, 0.0300003, 0.0100007, 0.049999];
      const classifier: Pick<FaceAnalyzer, "classify"> = {
        classify: async (crops) => {
          seen.push(...crops);
          return crops.map((c) =>
            c.width === 0
              ? { status: "unknown" as const, reason: "invalid-crop" }
              : { status: "ok" as const, probs: [...probs], dominant: "happy" as const },
          );
        },
      };
      return { classifier, seen, probs };
    }

    it("sends no crop and no start: the visit's end carries its vectors (4 decimals), and the pixels are zeroed", async () => {
      const { classifier, seen, probs } = scriptedClassifier();
      const { sink, feed, metrics } = setup({ classifier });
      await feed(20, [face(30)]); // 4 s at item-1
      await feed(10, []); // gone: the track ends
      expect(sink.crops).toHaveLength(0);
      expect(sink.starts).toHaveLength(0);
      expect(sink.ends).toHaveLength(1);
      const end = sink.ends[0]!;
      expect(end.cropsSent).toBe(0);
      expect(end.samples!.length).toBe(seen.length);
      expect(end.samples!.length).toBe(6); // frames 4–19 in the visit, a crop every 3rd frame (≥ 500 ms)
      expect(end.samples![0]!.probs).toEqual(probs.map((p) => Math.round(p * 10_000) / 10_000));
      for (let k = 1; k < end.samples!.length; k++)
        expect(end.samples![k]!.capturedAt - end.samples![k - 1]!.capturedAt).toBeGreaterThanOrEqual(500);
      expect(seen.every((c) => c.data.every((b) => b === 0))).toBe(true);
      expect(await sum(metrics.facesClassified)).toBe(seen.length);
      expect(ZTrackEvent.parse(end)).toEqual(end);
    });

    it("a visit longer than MAX_EDGE_SAMPLES crops keeps an even spread over its whole stay, within the cap", async () => {
      const { classifier } = scriptedClassifier();
      const { sink, feed, at } = setup({ classifier });
      await feed(5 * 200, [face(30)]); // 200 s at 5 fps: 400 crops at 2 a second without thinning
      await feed(10, []);
      const { samples } = sink.ends[0]!;
      expect(samples!.length).toBeLessThanOrEqual(MAX_EDGE_SAMPLES);
      expect(samples!.length).toBeGreaterThan(MAX_EDGE_SAMPLES / 4);
      expect(samples![0]!.capturedAt - at(0)).toBeLessThan(2_000);
      expect(at(999) - samples!.at(-1)!.capturedAt).toBeLessThan(5_000);
    });

    it("without it, a crop the sink could not send (Redis down) is counted on the visit's end", async () => {
      const { sink, feed } = setup();
      sink.accept = false;
      await feed(10, [face(30)]);
      await feed(10, []);
      expect(sink.ends[0]).toMatchObject({ cropsSent: 0 });
      expect(sink.ends[0]!.cropsDropped).toBeGreaterThan(0);
    });
  });
});
