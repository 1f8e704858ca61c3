import { fa, tf, weightMap, decode, iou } from "./common.ts";
import fs from "node:fs";
const D = "/work/shared/datasets/face-boxes/";
const ann = JSON.parse(fs.readFileSync(D + "annotations.json", "utf8"));
const tiny = new fa.TinyFaceDetector(); tiny.loadFromWeightMap(weightMap("tiny_face_detector_model"));
const ssd = new fa.SsdMobilenetv1(); ssd.loadFromWeightMap(weightMap("ssd_mobilenetv1_model"));
const files = [...Object.keys(ann), "dogs.jpg"];
const imgs: Record<string, any> = {};
for (const f of files) imgs[f] = await decode(D + f);
const configs: [string, (t: any) => Promise<any[]>][] = [];
for (const s of [320, 416, 512, 608, 800]) for (const th of [0.3, 0.5]) configs.push([`tiny${s}@${th}`, (t) => tiny.locateFaces(t, new fa.TinyFaceDetectorOptions({ inputSize: s, scoreThreshold: th }))]);
for (const th of [0.3, 0.5]) configs.push([`ssd@${th}`, (t) => ssd.locateFaces(t, new fa.SsdMobilenetv1Options({ minConfidence: th, maxResults: 100 }))]);
for (const [name, fn] of configs) {
  let tp = 0, fp = 0, gt = 0; let ms = 0;
  const misses: string[] = [];
  for (const f of files) {
    const im = imgs[f];
    const t = tf.tensor3d(im.data, [im.height, im.width, 3], "int32");
    const t0 = performance.now();
    const dets = await fn(t);
    ms += performance.now() - t0;
    t.dispose();
    const boxes = dets.map((d: any) => ({ x: d.box.x, y: d.box.y, w: d.box.width, h: d.box.height, s: d.score }));
    const g = ann[f]?.boxes ?? [];
    gt += g.length;
    const used = new Set<number>();
    for (const b of g) {
      let best = -1, bi = 0;
      boxes.forEach((d: any, i: number) => { if (used.has(i)) return; const v = iou(b, d); if (v > bi) { bi = v; best = i; } });
      if (bi >= 0.4) { used.add(best); tp++; } else misses.push(`${f}:${b.w}`);
    }
    fp += boxes.length - used.size;
  }
  console.log(name, "recall", (tp / gt).toFixed(3), "prec", (tp / (tp + fp)).toFixed(3), "fp", fp, "ms/img", (ms / files.length).toFixed(1), "tensors", tf.memory().numTensors);
}
