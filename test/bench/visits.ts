/**
 * eval:visits — interactions per real person-visit, end to end through the agent's own path: ffmpeg decodes
 * the shared store clips at the analysis rate (5 fps), the default detector (FaceScanner) finds faces, the
 * IoU tracker follows them, faces map to the floor and zones with zone inertia, and each visit's start/end
 * is recorded as the worker would receive it; a visit with at least one crop becomes one interaction (the
 * worker writes none for a visit without a classifiable face). No pixels are kept.
 *
 * Ground truth: the people whose faces the clip shows, each staying at one place (counted by eye; see
 * PEOPLE below). Scenarios: one zone over the whole frame (splits come from tracking), and two zones whose
 * edge runs through the middle standing person's face (splits come from a face jittering at a zone edge).
 * Each runs with the default zone inertia (enter after 3 frames, move after 5), a symmetric 3, and none.
 * Usage: npm run eval:visits -- [--json]
 */
import path from "node:path";
import { pino } from "pino";
import type { CropJob, TrackEvent } from "@shelf/core";
import { createFaceAnalyzer } from "@shelf/inference";
import {
  CameraPipeline,
  FfmpegSource,
  letterbox,
  type CameraConfig,
  type JobSink,
} from "@shelf/camera-agent";
import { readFileSync } from "node:fs";
import { datasetsDir } from "../setup/env.ts";
import { args, printTable, round } from "./stats.ts";

/** People whose faces each clip shows (by eye), each staying at one place for the whole clip. */
const PEOPLE: Record<string, number> = {
  "face-demographics-walking-and-pause.gif": 3,
  "face-demographics-walking.gif": 2,
  // People walking away or facing the shelves: no face, so no visit should be recorded.
  "one-by-one-person-detection.gif": 0,
  "people-detection.gif": 0,
  "store-aisle-detection.gif": 0,
};
const WIDTH = 854;
const HEIGHT = 480;
const FPS = 5;

const a = args();
const data = datasetsDir();
if (!data) throw new Error("eval:visits needs ../shared/datasets (store-video)");
const logger = pino({ level: "silent" });

/** Records visits as the worker would receive them. */
class RecordingSink implements JobSink {
  readonly starts: TrackEvent[] = [];
  readonly ends: TrackEvent[] = [];
  crops = 0;
  async crop(_job: CropJob): Promise<boolean> {
    this.crops++;
    return true;
  }
  async track(event: TrackEvent): Promise<void> {
    (event.type === "start" ? this.starts : this.ends).push(event);
  }
  async close(): Promise<void> {}
}

/** Frame px → floor metres at 1 cm per px: faces map through the feet estimate below them. */
function config(clip: string, zones: CameraConfig["zones"]): CameraConfig {
  return {
    storeId: "eval",
    cameraId: `eval-${clip}`,
    name: clip,
    sourceUrl: clip,
    sourceCredentials: null,
    allowlist: [],
    width: WIDTH,
    height: HEIGHT,
    analysisFps: FPS,
    calibration: { version: 1, homography: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 1], headHeightM: 1.5 },
    zones,
  };
}

function zone(id: string, x0: number, x1: number): CameraConfig["zones"][number] {
  return {
    id,
    polygon: [
      { x: x0, y: -100 },
      { x: x1, y: -100 },
      { x: x1, y: 100 },
      { x: x0, y: 100 },
    ],
    staffOnly: false,
    slots: [{ itemId: `${id}-item`, start: 0, end: 1, level: 0 }],
  };
}

const analyzer = createFaceAnalyzer({ expression: { model: "none" } });
await analyzer.load();
await analyzer.warmup();

/** x (m) of the face nearest the frame's centre in the clip's first frame: where the zone edge goes. */
async function middleFaceX(file: string): Promise<number | undefined> {
  const frame = await letterbox(readFileSync(file), WIDTH, HEIGHT);
  const { faces } = await analyzer.detect(frame, { boxesOnly: true });
  const mid = faces
    .map((f) => f.box.x + f.box.w / 2)
    .sort((p, q) => Math.abs(p - WIDTH / 2) - Math.abs(q - WIDTH / 2))[0];
  return mid === undefined ? undefined : mid / 100;
}

/** Zone inertia settings compared: the default (enter after 3 frames, move after 5), symmetric 3, none. */
const INERTIA = [
  { name: "enter 3 / move 5 (default)", enter: 3, move: 5 },
  { name: "enter 3 / move 3", enter: 3, move: 3 },
  { name: "none", enter: 1, move: 1 },
] as const;
type Inertia = (typeof INERTIA)[number];

async function run(file: string, cfg: CameraConfig, inertia: Inertia) {
  const sink = new RecordingSink();
  const pipeline = new CameraPipeline(cfg, {
    analyzer,
    sink,
    logger,
    runId: "eval",
    options: { zoneInertiaFrames: inertia.enter, zoneSwitchFrames: inertia.move },
  });
  const source = new FfmpegSource({
    url: file,
    width: WIDTH,
    height: HEIGHT,
    fps: FPS,
    realtime: false,
    logger,
  });
  let frames = 0;
  let last = 0;
  // The file is read faster than real time: capture times are the frame's place in the clip at FPS, as a
  // live camera would stamp them (the tracker, zone inertia and the scanner's full-scan clock run on them).
  for await (const { frame } of source.frames(new AbortController().signal)) {
    const capturedAt = (frames * 1000) / FPS;
    await pipeline.process(frame, capturedAt);
    frames++;
    last = capturedAt;
  }
  await pipeline.flush(last + 1);
  // The worker writes an interaction only for a visit with a classifiable crop (a visit of a head seen from
  // behind sends none: the quality gate's frontality check stops it), so those are the interactions.
  const interactions = sink.ends.filter((e) => e.type === "end" && e.cropsSent > 0).length;
  return { frames, visits: sink.ends.length, interactions, crops: sink.crops };
}

interface Row {
  clip: string;
  scenario: string;
  inertia: string;
  people: number;
  frames: number;
  visits: number;
  interactions: number;
  crops: number;
}
const rows: Row[] = [];
for (const [clip, people] of Object.entries(PEOPLE)) {
  const file = path.join(data, "store-video", clip);
  const scenarios: { scenario: string; zones: CameraConfig["zones"] }[] = [
    { scenario: "one zone", zones: [zone("all", -100, 100)] },
  ];
  const edge = clip === "face-demographics-walking-and-pause.gif" ? await middleFaceX(file) : undefined;
  if (edge !== undefined)
    scenarios.push({
      scenario: `zone edge through a standing face (x = ${round(edge)} m)`,
      zones: [zone("left", -100, edge), zone("right", edge, 100)],
    });
  for (const { scenario, zones } of scenarios)
    for (const inertia of INERTIA) {
      const r = await run(file, config(clip, zones), inertia);
      rows.push({ clip, scenario, inertia: inertia.name, people, ...r });
    }
}
await analyzer.dispose();

const summary = INERTIA.map(({ name: inertia }) => {
  const sel = rows.filter((r) => r.inertia === inertia);
  const visits = sel.reduce((s, r) => s + r.visits, 0);
  const interactions = sel.reduce((s, r) => s + r.interactions, 0);
  const real = sel.reduce((s, r) => s + r.people, 0);
  return {
    inertia,
    realPersonVisits: real,
    visits,
    visitsPerPersonVisit: round(visits / real, 2),
    interactions,
    interactionsPerPersonVisit: round(interactions / real, 2),
  };
});
if (a.json) console.log(JSON.stringify({ fps: FPS, width: WIDTH, height: HEIGHT, rows, summary }, null, 2));
else {
  for (const r of rows)
    printTable(`${r.clip} — ${r.scenario}, zone inertia ${r.inertia}`, [
      ["frames analysed", r.frames],
      ["people (ground truth)", r.people],
      ["visits (start/end pairs)", r.visits],
      ["interactions (visits with a crop)", r.interactions],
      ["crops sampled", r.crops],
    ]);
  for (const s of summary)
    printTable(`all clips, zone inertia ${s.inertia}`, [
      ["visits / real person-visits", `${s.visits} / ${s.realPersonVisits} = ${s.visitsPerPersonVisit}`],
      [
        "interactions / real person-visits",
        `${s.interactions} / ${s.realPersonVisits} = ${s.interactionsPerPersonVisit}`,
      ],
    ]);
}
process.exit();
