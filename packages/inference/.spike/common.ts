import { createRequire } from "node:module";
import path from "node:path";
import fs from "node:fs";
import sharp from "sharp";
const require = createRequire(import.meta.url);
export const fa: any = await import("@vladmandic/face-api/dist/face-api.node-wasm.js");
export const tf = fa.tf;
tf.setWasmPaths(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")) + "/dist/");
await tf.setBackend(process.env.BK ?? "wasm"); await tf.ready();
const modelDir = path.dirname(require.resolve("@vladmandic/face-api/package.json")) + "/model/";
export function weightMap(name: string) {
  const manifest = JSON.parse(fs.readFileSync(modelDir + name + "-weights_manifest.json", "utf8"));
  const maps: Record<string, unknown> = {};
  for (const g of manifest) {
    const bufs = g.paths.map((p: string) => fs.readFileSync(modelDir + p));
    const buf = Buffer.concat(bufs);
    Object.assign(maps, tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), g.weights));
  }
  return maps;
}
export async function decode(file: string) {
  const { data, info } = await sharp(file).removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
export function iou(a: any, b: any) {
  const x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y), x2 = Math.min(a.x + a.w, b.x + b.w), y2 = Math.min(a.y + a.h, b.y + b.h);
  const i = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return i / (a.w * a.h + b.w * b.h - i);
}
