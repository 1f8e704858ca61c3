import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { interactionId, type CropJob, type TrackContext, type TrackEvent } from "@shelf/core";
import { cropFace, type FaceAnalyzer, type FaceCrop } from "@shelf/inference";
import { faceApiDemoDir, letterbox } from "@shelf/camera-agent";

/** Face crops from the photos face-api ships, kept only when the real model classifies them (not "unknown"). */
export async function demoCrops(analyzer: FaceAnalyzer): Promise<FaceCrop[]> {
  const dir = faceApiDemoDir();
  const crops: FaceCrop[] = [];
  for (const f of (await readdir(dir)).filter((f) => /^sample\d+\.jpg$/.test(f)).sort()) {
    const frame = await letterbox(await readFile(path.join(dir, f)), 640, 480);
    const { faces } = await analyzer.detect(frame);
    for (const face of faces) crops.push(cropFace(frame, face.box, { size: 64, channels: 1 }));
  }
  const results = await analyzer.classify(crops);
  return crops.filter((_, i) => results[i]!.status === "ok");
}

export interface ScriptedVisit {
  context: TrackContext;
  crops: CropJob[];
  end: Extract<TrackEvent, { type: "end" }>;
  /** The interaction id the worker must write for this visit. */
  interactionId: string;
}

/**
 * `visits` synthetic shopper visits, `cropsPerVisit` crops each (cycling through the demo crops), spread
 * over the given zones/items, one second apart. Deterministic for a given runId.
 */
export function scriptedVisits(opts: {
  runId: string;
  storeId: string;
  cameraId: string;
  places: { zoneId: string; itemId: string | null }[];
  crops: FaceCrop[];
  visits: number;
  cropsPerVisit: number;
  startAt?: number;
}): ScriptedVisit[] {
  const t0 = opts.startAt ?? Date.now() - 60_000;
  const out: ScriptedVisit[] = [];
  let c = 0;
  for (let v = 0; v < opts.visits; v++) {
    const place = opts.places[v % opts.places.length]!;
    const context: TrackContext = {
      storeId: opts.storeId,
      cameraId: opts.cameraId,
      zoneId: place.zoneId,
      itemId: place.itemId,
      trackKey: `${opts.runId}:${v}:1`,
      calibrationVersion: 1,
    };
    const startedAt = t0 + v * 1000;
    const crops: CropJob[] = [];
    for (let k = 0; k < opts.cropsPerVisit; k++) {
      const crop = opts.crops[c++ % opts.crops.length]!;
      crops.push({
        context,
        capturedAt: startedAt + k * 500,
        box: { x: 10, y: 10, w: 80, h: 80 },
        detectionScore: 0.9,
        crop: {
          width: crop.width,
          height: crop.height,
          channels: crop.channels,
          data: Buffer.from(crop.data).toString("base64"),
        },
      });
    }
    const endedAt = startedAt + (opts.cropsPerVisit - 1) * 500;
    out.push({
      context,
      crops,
      end: { type: "end", context, startedAt, endedAt, cropsSent: crops.length },
      interactionId: interactionId({ ...context, startedAt }),
    });
  }
  return out;
}
