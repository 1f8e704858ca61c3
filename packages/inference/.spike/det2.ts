import { fa, tf, weightMap, decode, iou } from "./common.ts";
import { tinyDetect } from "./tiny.ts";
import fs from "node:fs";
const D = "/work/shared/datasets/face-boxes/";
const ann = JSON.parse(fs.readFileSync(D + "annotations.json", "utf8"));
const tiny = new fa.TinyFaceDetector(); tiny.loadFromWeightMap(weightMap("tiny_face_detector_model"));
const files = [...Object.keys(ann), "dogs.jpg"];
const imgs: Record<string, any> = {};
for (const f of files) imgs[f] = await decode(D + f);
const verbose = process.env.V;
for (const cfg of (process.env.CFG ?? "608:0.3:0,608:0.3:1,512:0.3:0,640:0.3:0,704:0.3:0,800:0.3:0").split(",")) {
  const [ls, th, sq] = cfg.split(":").map(Number);
  for (let rep = 0; rep < 1; rep++) {
  let tp = 0, fp = 0, gt = 0, ms = 0; const out: string[] = [];
  for (const f of files) {
    const t0 = performance.now();
    const boxes = await tinyDetect(tiny, imgs[f], ls!, th!, !!sq);
    ms += performance.now() - t0;
    const g = ann[f]?.boxes ?? []; gt += g.length;
    const used = new Map<number, number>();
    for (const b of g) { let best = -1, bi = 0; boxes.forEach((d: any, i: number) => { if (used.has(i)) return; const v = iou(b, d); if (v > bi) { bi = v; best = i; } }); if (bi >= 0.4) { used.set(best, bi); tp++; } else out.push(`MISS ${f} gt ${b.w} best iou ${bi.toFixed(2)}`); }
    boxes.forEach((d: any, i: number) => { if (!used.has(i)) { fp++; out.push(`FP ${f} ${d.w.toFixed(0)}x${d.h.toFixed(0)} s=${d.s.toFixed(2)}`); } else out.push(`TP ${f} ${d.w.toFixed(0)}x${d.h.toFixed(0)} s=${d.s.toFixed(2)} iou ${used.get(i)!.toFixed(2)}`) });
  }
  console.log(cfg, "recall", (tp / gt).toFixed(3), "prec", (tp / (tp + fp)).toFixed(3), "fp", fp, "ms/img", (ms / files.length).toFixed(1), "tensors", tf.memory().numTensors);
  if (verbose) console.log(out.filter(l => !l.startsWith("TP") || verbose === "2").join("\n"));
  }
}
