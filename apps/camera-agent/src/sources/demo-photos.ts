import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import sharp from "sharp";
import type { RgbFrame } from "@shelf/inference";
import type { FrameSource, SourceFrame } from "./frame-source.ts";

const require = createRequire(import.meta.url);

/** Folder of the photos @vladmandic/face-api ships (demo/sample1…6.jpg). */
export function faceApiDemoDir(): string {
  return path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "demo");
}

/** Letterboxes an encoded image into a width × height RGB frame (black bars), as a fixed camera would see it. */
export async function letterbox(image: Uint8Array, width: number, height: number): Promise<RgbFrame> {
  const { data, info } = await sharp(image)
    .resize(width, height, { fit: "contain", background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: 3,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

export interface DemoPhotosOptions {
  width: number;
  height: number;
  /** Frames per second delivered (the camera's analysis rate). */
  fps: number;
  /** How long each photo stays in view, ms (a shopper standing at the shelf). Default 2000. */
  holdMs?: number;
  /** Start again after the last photo. Default true. */
  loop?: boolean;
  /** Deliver frames as fast as the consumer takes them, with synthetic timestamps (tests, benchmarks). */
  fast?: boolean;
  /** Pause between photos with an empty frame so tracks end, ms. Default 1500. */
  gapMs?: number;
}

/**
 * The demo camera: the photos face-api ships, each held in view for `holdMs`, separated by empty frames.
 * Decoded once; frames are shared read-only buffers.
 */
export class DemoPhotosSource implements FrameSource {
  readonly kind = "demo";
  droppedFrames = 0;
  reconnects = 0;
  up = true;

  constructor(private readonly opts: DemoPhotosOptions) {}

  async *frames(signal: AbortSignal): AsyncIterable<SourceFrame> {
    const { width, height, fps, holdMs = 2000, gapMs = 1500, loop = true, fast = false } = this.opts;
    const dir = faceApiDemoDir();
    const files = (await readdir(dir)).filter((f) => /^sample\d+\.jpg$/.test(f)).sort();
    const photos = await Promise.all(
      files.map(async (f) => letterbox(await readFile(path.join(dir, f)), width, height)),
    );
    const blank: RgbFrame = { width, height, channels: 3, data: new Uint8Array(width * height * 3) };
    const step = 1000 / fps;
    let t = Date.now();
    do {
      for (const photo of photos) {
        for (const [frame, ms] of [
          [photo, holdMs],
          [blank, gapMs],
        ] as const) {
          for (let elapsed = 0; elapsed < ms; elapsed += step) {
            if (signal.aborted) return;
            if (fast) t += step;
            else {
              const wait = t + step - Date.now();
              if (wait > 0) await new Promise((r) => setTimeout(r, wait));
              t = Date.now();
            }
            yield { frame, capturedAt: Math.round(t) };
          }
        }
      }
    } while (loop && !signal.aborted);
  }
}
