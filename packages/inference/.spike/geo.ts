import { fa, tf, weightMap, decode, iou } from "./common.ts";
import { tinyDetect } from "./tiny.ts";
import fs from "node:fs";
const D = "/work/shared/datasets/face-boxes/";
const ann = JSON.parse(fs.readFileSync(D + "annotations.json", "utf8"));
const tiny = new fa.TinyFaceDetector(); tiny.loadFromWeightMap(weightMap("tiny_face_detector_model"));
const ssd = new fa.SsdMobilenetv1(); ssd.loadFromWeightMap(weightMap("ssd_mobilenetv1_model"));
for (const kind of ["tiny608", "ssd"]) {
const st: number[][] = [];
for (const f of Object.keys(ann)) {
  const im = await decode(D + f);
  let boxes: any[];
  if (kind === "ssd") { const t = tf.tensor3d(im.data, [im.height, im.width, 3], "int32"); boxes = (await ssd.locateFaces(t, new fa.SsdMobilenetv1Options({ minConfidence: 0.3 }))).map((d: any) => ({ x: d.box.x, y: d.box.y, w: d.box.width, h: d.box.height })); t.dispose(); }
  else boxes = await tinyDetect(tiny, im, 608, 0.3);
  for (const b of ann[f].boxes) {
    let best: any = null, bi = 0; for (const d of boxes) { const v = iou(b, d); if (v > bi) { bi = v; best = d; } }
    if (best && bi > 0.2) st.push([(best.x + best.w / 2 - b.x - b.w / 2) / b.w, (best.y + best.h / 2 - b.y - b.h / 2) / b.h, best.w / b.w, best.h / b.h, bi]);
  }
}
const mean = (i: number) => (st.reduce((a, r) => a + r[i]!, 0) / st.length).toFixed(3);
console.log(kind, "n", st.length, "dcx", mean(0), "dcy", mean(1), "w ratio", mean(2), "h ratio", mean(3), "iou", mean(4));
}
