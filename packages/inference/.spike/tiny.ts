import { fa, tf } from "./common.ts";
const ANCH = [[1.603231, 2.094468],[6.041143, 7.080126],[2.882459, 3.518061],[4.266906, 5.178857],[9.041765, 10.66308]];
const MEAN = [117.001, 114.697, 97.404];
const sig = (x: number) => 1 / (1 + Math.exp(-x));
export async function tinyDetect(tiny: any, img: { width: number; height: number; data: Uint8Array }, longSide: number, th: number, square = false) {
  const s = longSide / Math.max(img.width, img.height);
  let W = Math.max(32, Math.round((img.width * s) / 32) * 32), H = Math.max(32, Math.round((img.height * s) / 32) * 32);
  if (square) { W = H = longSide; }
  const out = tf.tidy(() => {
    const t = tf.tensor3d(img.data, [img.height, img.width, 3], "int32");
    let x = tf.image.resizeBilinear(t.toFloat().expandDims(0), [H, W]);
    x = tf.div(tf.sub(x, tf.tensor1d(MEAN)), 255);
    return tiny.runMobilenet(x, tiny.params);
  });
  const [_, gy, gx, c] = out.shape;
  const d = await out.data(); out.dispose();
  const sx = W / img.width / 32 , sy = H / img.height / 32; // cells per frame px
  const res: any[] = [];
  for (let r = 0; r < gy; r++) for (let q = 0; q < gx; q++) for (let a = 0; a < 5; a++) {
    const o = ((r * gx + q) * 5 + a) * 5;
    const score = sig(d[o + 4]);
    if (score < th) continue;
    const cx = (q + sig(d[o])) / sx, cy = (r + sig(d[o + 1])) / sy;
    const w = Math.exp(d[o + 2]) * ANCH[a][0] / sx, h = Math.exp(d[o + 3]) * ANCH[a][1] / sy;
    res.push({ x: cx - w / 2, y: cy - h / 2, w, h, s: score });
  }
  return nms(res, 0.4);
}
export function iouB(a: any, b: any) {
  const x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y), x2 = Math.min(a.x + a.w, b.x + b.w), y2 = Math.min(a.y + a.h, b.y + b.h);
  const i = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return i / (a.w * a.h + b.w * b.h - i);
}
export function nms(b: any[], t: number) {
  b.sort((p, q) => q.s - p.s); const keep: any[] = [];
  for (const x of b) if (keep.every((k) => iouB(k, x) <= t)) keep.push(x);
  return keep;
}
