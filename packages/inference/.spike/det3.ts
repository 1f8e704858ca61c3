import { fa, tf, weightMap, decode, iou } from "./common.ts";
import { tinyDetect } from "./tiny.ts";
import fs from "node:fs";
const D = "/work/shared/datasets/face-boxes/";
const ann = JSON.parse(fs.readFileSync(D + "annotations.json", "utf8"));
const tiny = new fa.TinyFaceDetector(); tiny.loadFromWeightMap(weightMap("tiny_face_detector_model"));
const files = [...Object.keys(ann), "dogs.jpg"];
const imgs: Record<string, any> = {};
for (const f of files) imgs[f] = await decode(D + f);
for (const ls of [576, 608, 640, 672, 704, 736, 768, 800, 832, 864, 896]) {
  const all: Record<string, any[]> = {}; const times: number[] = [];
  for (let rep = 0; rep < 3; rep++) { let ms = 0; for (const f of files) { const t0 = performance.now(); all[f] = await tinyDetect(tiny, imgs[f], ls, 0.1); ms += performance.now() - t0; } times.push(ms / files.length); }
  const line: string[] = [];
  for (const th of [0.2, 0.3, 0.4, 0.5]) {
    let tp = 0, fp = 0, gt = 0;
    for (const f of files) {
      const boxes = all[f]!.filter((b) => b.s >= th); const g = ann[f]?.boxes ?? []; gt += g.length; const used = new Set<number>();
      for (const b of g) { let best = -1, bi = 0; boxes.forEach((d: any, i: number) => { if (used.has(i)) return; const v = iou(b, d); if (v > bi) { bi = v; best = i; } }); if (bi >= 0.4) { used.add(best); tp++; } }
      fp += boxes.length - used.size;
    }
    line.push(`@${th} R${(tp / gt).toFixed(3)} P${(tp / (tp + fp)).toFixed(3)}`);
  }
  console.log(ls, "ms", Math.min(...times).toFixed(0), line.join("  "));
}
