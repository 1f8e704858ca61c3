import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { iou } from "./boxes.ts";
import type { FramePxBox } from "./coords.ts";
import { seededRandom } from "./prng.ts";
import { IouTracker, ZIouTrackerConfig, type Detection, type TrackerEvent } from "./tracker.ts";

const FRAME_MS = 100;
const box = (x: number, y: number, w = 60, h = 60): FramePxBox => ({ x, y, w, h });
const det = (b: FramePxBox, score = 0.9): Detection => ({ box: b, score });

/**
 * Runs frames through a tracker. `faces[f]` lists the ground-truth faces visible in frame f as
 * [faceKey, detection]; returns, per face key, the track ids it was matched to (confirmed tracks
 * only), and every event.
 */
function run(tracker: IouTracker, faces: [string, Detection][][], t0 = 1_000) {
  const idsByFace = new Map<string, Set<string>>();
  const events: TrackerEvent[] = [];
  faces.forEach((frame, f) => {
    const result = tracker.update(
      frame.map(([, d]) => d),
      t0 + f * FRAME_MS,
    );
    events.push(...result.events);
    for (const track of result.active) {
      if (track.detectionIndex === null) continue;
      const key = frame[track.detectionIndex]![0];
      if (!idsByFace.has(key)) idsByFace.set(key, new Set());
      idsByFace.get(key)!.add(track.id);
    }
  });
  return { idsByFace, events, lastT: t0 + (faces.length - 1) * FRAME_MS };
}

describe("ZIouTrackerConfig", () => {
  it("fills documented defaults and merges overrides", () => {
    expect(ZIouTrackerConfig.parse({})).toEqual({
      iouThreshold: 0.3,
      lowIouThreshold: 0.5,
      minHits: 3,
      maxAgeMs: 1500,
      highScore: 0.5,
      lowScore: 0.1,
      velocitySmoothing: 0.5,
    });
    const tracker = new IouTracker("run", { minHits: 5 });
    expect(tracker.config.minHits).toBe(5);
    expect(tracker.config.iouThreshold).toBe(0.3);
  });

  it("rejects unknown keys, out-of-range values and inverted score bands", () => {
    expect(() => new IouTracker("run", { minHit: 5 } as never)).toThrow(ZodError);
    expect(() => new IouTracker("run", { iouThreshold: 1.5 })).toThrow(ZodError);
    expect(() => new IouTracker("run", { minHits: 0 })).toThrow(ZodError);
    expect(() => new IouTracker("run", { lowScore: 0.7, highScore: 0.6 })).toThrow(ZodError);
    expect(() => new IouTracker("")).toThrow(RangeError);
  });
});

describe("IouTracker lifecycle", () => {
  it("confirms a face after minHits frames, with one start event and no per-frame events", () => {
    const tracker = new IouTracker("run-a");
    const frames = Array.from({ length: 10 }, (_, f): [string, Detection][] => [
      ["face", det(box(100 + 5 * f, 100))],
    ]);
    const { idsByFace, events } = run(tracker, frames);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "start", trackId: "run-a:1", at: 1_200 });
    expect(events[0]!.track).toMatchObject({
      hits: 3,
      firstSeen: 1_000,
      lastSeen: 1_200,
      ageMs: 200,
      detectionIndex: 0,
    });
    expect([...idsByFace.get("face")!]).toEqual(["run-a:1"]);
  });

  it("does not list tentative tracks as active", () => {
    const tracker = new IouTracker("run");
    expect(tracker.update([det(box(0, 0))], 0).active).toEqual([]);
    expect(tracker.update([det(box(0, 0))], 100).active).toEqual([]);
    expect(tracker.update([det(box(0, 0))], 200).active).toHaveLength(1);
  });

  it("never starts a track from a one- or two-frame false positive (inertia)", () => {
    const tracker = new IouTracker("run");
    const flicker: [string, Detection][][] = [
      [["fp1", det(box(500, 500), 0.99)]],
      [],
      [["fp2", det(box(800, 100), 0.99)]],
      [["fp2", det(box(800, 100), 0.99)]],
      [],
      [],
    ];
    const { events, idsByFace } = run(tracker, flicker);
    expect(events).toEqual([]);
    expect(idsByFace.size).toBe(0);
  });

  it("starts immediately with minHits = 1", () => {
    const tracker = new IouTracker("run", { minHits: 1 });
    const { events } = tracker.update([det(box(0, 0))], 5);
    expect(events.map((e) => e.type)).toEqual(["start"]);
  });

  it("keeps the id through a short occlusion by predicting the motion", () => {
    const tracker = new IouTracker("run");
    const speed = 12; // px per frame
    const frames = Array.from({ length: 20 }, (_, f): [string, Detection][] =>
      f >= 8 && f < 12 ? [] : [["face", det(box(100 + speed * f, 200))]],
    );
    // Without prediction the reappearing box would not match the last one seen.
    expect(iou(box(100 + speed * 7, 200), box(100 + speed * 12, 200))).toBeLessThan(0.3);
    const { idsByFace, events } = run(tracker, frames);
    expect(idsByFace.get("face")!.size).toBe(1);
    expect(events.filter((e) => e.type === "start")).toHaveLength(1);
    expect(events.filter((e) => e.type === "end")).toHaveLength(0);
  });

  it("loses the id through the same occlusion when motion prediction is off (so the test above can fail)", () => {
    const tracker = new IouTracker("run", { velocitySmoothing: 0 });
    const frames = Array.from({ length: 20 }, (_, f): [string, Detection][] =>
      f >= 8 && f < 12 ? [] : [["face", det(box(100 + 12 * f, 200))]],
    );
    expect(run(tracker, frames).idsByFace.get("face")!.size).toBe(2);
  });

  it("lists a coasting track as active with no detection while it is unseen", () => {
    const tracker = new IouTracker("run");
    for (let f = 0; f < 3; f++) tracker.update([det(box(0, 0))], f * 100);
    const coasting = tracker.update([], 300).active;
    expect(coasting).toHaveLength(1);
    expect(coasting[0]).toMatchObject({ detectionIndex: null, lastSeen: 200, ageMs: 300 });
  });

  it("ends a track after maxAgeMs unseen and gives the returning face a new id", () => {
    const tracker = new IouTracker("run", { maxAgeMs: 1000 });
    const frames: [string, Detection][][] = [
      ...Array.from({ length: 5 }, (): [string, Detection][] => [["face", det(box(300, 300))]]),
      ...Array.from({ length: 12 }, (): [string, Detection][] => []),
      ...Array.from({ length: 5 }, (): [string, Detection][] => [["face", det(box(300, 300))]]),
    ];
    const { idsByFace, events } = run(tracker, frames);
    expect([...idsByFace.get("face")!]).toEqual(["run:1", "run:2"]);
    expect(events.map((e) => `${e.type}:${e.trackId}`)).toEqual(["start:run:1", "end:run:1", "start:run:2"]);
    const end = events[1]!;
    expect(end.type === "end" && end.reason).toBe("lost");
    // Last seen in frame 4 (t = 1400); the end is noticed at the first frame more than 1000 ms later.
    expect(end.track.lastSeen).toBe(1_400);
    expect(end.at).toBe(2_500);
  });

  it("keeps a track unseen for exactly maxAgeMs", () => {
    const tracker = new IouTracker("run", { maxAgeMs: 500 });
    for (let f = 0; f < 3; f++) tracker.update([det(box(0, 0))], f * 100);
    const back = tracker.update([det(box(0, 0))], 700);
    expect(back.events).toEqual([]);
    expect(back.active[0]).toMatchObject({ id: "run:1", detectionIndex: 0 });
  });

  it("flush ends every confirmed track and ids keep counting afterwards", () => {
    const tracker = new IouTracker("run");
    for (let f = 0; f < 3; f++) tracker.update([det(box(0, 0)), det(box(400, 0))], f * 100);
    tracker.update([det(box(0, 0)), det(box(400, 0)), det(box(800, 0))], 300);
    const ended = tracker.flush(400);
    expect(ended.map((e) => e.type === "end" && `${e.trackId}:${e.reason}`)).toEqual([
      "run:1:flushed",
      "run:2:flushed",
    ]);
    expect(ended[0]!.track.detectionIndex).toBeNull();
    expect(tracker.flush(400)).toEqual([]);
    for (let f = 5; f < 8; f++) tracker.update([det(box(0, 0))], f * 100);
    expect(tracker.update([det(box(0, 0))], 800).active.map((t) => t.id)).toEqual(["run:3"]);
  });

  it("rejects time going backwards or non-finite", () => {
    const tracker = new IouTracker("run");
    tracker.update([], 1000);
    expect(() => tracker.update([], 999)).toThrow(RangeError);
    expect(() => tracker.update([], Number.NaN)).toThrow(RangeError);
    expect(() => tracker.flush(500)).toThrow(RangeError);
    expect(() => tracker.update([], 1000)).not.toThrow();
  });

  it("ignores empty boxes, non-finite boxes and scores below lowScore", () => {
    const tracker = new IouTracker("run", { minHits: 1 });
    const result = tracker.update(
      [det(box(0, 0, 0, 10)), det(box(Number.NaN, 0)), det(box(100, 100), 0.05), det(box(300, 300), 0.8)],
      0,
    );
    expect(result.active).toHaveLength(1);
    expect(result.active[0]!.detectionIndex).toBe(3);
  });
});

describe("IouTracker association", () => {
  it("keeps ids when two faces cross paths", () => {
    const tracker = new IouTracker("run");
    // Left-to-right and right-to-left, 25 px/frame, fully overlapping at frame 12: just after, each
    // face's last box overlaps both detections equally, so only prediction tells them apart. The
    // detector lists faces left to right, so input order cannot break the tie either.
    const frames = Array.from({ length: 24 }, (_, f): [string, Detection][] =>
      (
        [
          ["ltr", det(box(100 + 25 * f, 300))],
          ["rtl", det(box(700 - 25 * f, 300))],
        ] as [string, Detection][]
      ).sort((p, q) => p[1].box.x - q[1].box.x),
    );
    const { idsByFace, events } = run(tracker, frames);
    expect(idsByFace.get("ltr")!.size).toBe(1);
    expect(idsByFace.get("rtl")!.size).toBe(1);
    expect(idsByFace.get("ltr")).not.toEqual(idsByFace.get("rtl"));
    expect(events).toHaveLength(2);
  });

  it("keeps ids when one face hides behind the other while crossing", () => {
    const tracker = new IouTracker("run");
    const frames = Array.from({ length: 40 }, (_, f): [string, Detection][] => {
      const front: [string, Detection] = ["front", det(box(100 + 15 * f, 300))];
      // The rear face is not detected for 5 frames around the crossing.
      return f >= 18 && f <= 22 ? [front] : [front, ["rear", det(box(700 - 15 * f, 302))]];
    });
    const { idsByFace, events } = run(tracker, frames);
    expect(idsByFace.get("front")!.size).toBe(1);
    expect(idsByFace.get("rear")!.size).toBe(1);
    expect(events.filter((e) => e.type === "start")).toHaveLength(2);
  });

  it("matches optimally where greedy matching would drop a track (Hungarian)", () => {
    const tracker = new IouTracker("run", { velocitySmoothing: 0 });
    // A at x = 0, B at x = 54 (100 px boxes); then d1 at 25 (IoU A .6, B .55) and d2 at −33.3 (IoU A .5).
    for (let f = 0; f < 3; f++)
      tracker.update([det(box(0, 0, 100, 100)), det(box(54, 0, 100, 100))], f * 100);
    const d1 = det(box(25, 0, 100, 100));
    const d2 = det(box(-100 / 3, 0, 100, 100));
    const result = tracker.update([d1, d2], 300);
    const byId = Object.fromEntries(result.active.map((t) => [t.id, t.detectionIndex]));
    expect(byId).toEqual({ "run:1": 1, "run:2": 0 });
  });

  it("lets low-score detections extend a track but never start one (ByteTrack)", () => {
    const tracker = new IouTracker("run", { maxAgeMs: 500 });
    const lowOnly = Array.from({ length: 10 }, (_, f): [string, Detection][] => [
      ["ghost", det(box(900, 100 + f), 0.3)],
    ]);
    const fadingFace = Array.from({ length: 30 }, (_, f): [string, Detection][] => [
      ["face", det(box(100 + 3 * f, 100), f < 5 ? 0.9 : 0.3)],
    ]);
    const frames = fadingFace.map((frame, f) => [...frame, ...(lowOnly[f] ?? [])]);
    const { idsByFace, events } = run(tracker, frames);
    expect(idsByFace.has("ghost")).toBe(false);
    // 2.5 s on low scores alone, far beyond maxAgeMs: still one track, never ended.
    expect(idsByFace.get("face")!.size).toBe(1);
    expect(events.map((e) => e.type)).toEqual(["start"]);
  });

  it("does not let a low-score detection steal a track it barely overlaps", () => {
    const tracker = new IouTracker("run", { maxAgeMs: 250 });
    for (let f = 0; f < 3; f++) tracker.update([det(box(0, 0, 100, 100))], f * 100);
    // IoU 0.43: enough for a high-score detection, too little for a low-score one (0.5).
    const low = tracker.update([det(box(40, 0, 100, 100), 0.3)], 300);
    expect(low.active[0]!.detectionIndex).toBeNull();
    const high = tracker.update([det(box(40, 0, 100, 100), 0.9)], 400);
    expect(high.active[0]!.detectionIndex).toBe(0);
  });

  it("keeps one id per face for many faces moving at once, with jitter and missed detections", () => {
    const next = seededRandom(2024);
    const faces = Array.from({ length: 48 }, (_, i) => ({
      key: `f${i}`,
      x: 40 + (i % 8) * 230,
      y: 40 + Math.floor(i / 8) * 170,
      vx: (next() - 0.5) * 6,
      vy: (next() - 0.5) * 4,
      size: 50 + next() * 40,
    }));
    const frames = Array.from({ length: 300 }, (_, f) =>
      faces.flatMap((face): [string, Detection][] => {
        if (next() < 0.05) return [];
        // Bounce within the face's own cell so faces stay apart, as shoppers at distinct shelves do.
        const px = face.x + 60 * Math.sin((face.vx * f) / 60);
        const py = face.y + 40 * Math.sin((face.vy * f) / 40);
        const jitter = () => (next() - 0.5) * 4;
        return [[face.key, det(box(px + jitter(), py + jitter(), face.size, face.size), 0.3 + 0.7 * next())]];
      }),
    );
    const tracker = new IouTracker("scale");
    const { idsByFace, events, lastT } = run(tracker, frames);
    expect(idsByFace.size).toBe(48);
    for (const ids of idsByFace.values()) expect(ids.size).toBe(1);
    const allIds = [...idsByFace.values()].flatMap((s) => [...s]);
    expect(new Set(allIds).size).toBe(48);
    expect(events.filter((e) => e.type === "start")).toHaveLength(48);
    expect(events.filter((e) => e.type === "end")).toHaveLength(0);
    expect(tracker.flush(lastT + 1)).toHaveLength(48);
  });
});
