import sharp from "sharp";
import type { FramePxBox } from "@shelf/core";
import type { DetectOptions, DetectResult, RgbFrame } from "@shelf/inference";

/**
 * Detector settings for the snapshot: far more eager than for analysis — a false positive only pixelates a
 * piece of wall, a miss would show a face. Every scale from 10 px faces to the whole frame, in steps of 2 (pinned:
 * never coarser than analysis's pyramid, whatever its default step becomes).
 */
export const SNAPSHOT_DETECT: DetectOptions = { minScore: 0.15, boxesOnly: true };
const SNAPSHOT_PYRAMID = { minFacePx: 10, maxFaceFraction: 1, step: 2 };

/** Gaussian blur over the whole image, px sigma: small faces no detector finds lose their features. */
const GLOBAL_BLUR_SIGMA = 1.2;

export interface SnapshotDetector {
  detect(frame: RgbFrame, opts?: DetectOptions): Promise<DetectResult>;
}

/**
 * The area pixelated for one detected face: the head and shoulders, not just the face box — hair, ears, a
 * turned head and a chin below a tight box are all inside (1 face width either side, ¾ above, 2 below).
 */
export function headAndShoulders(face: FramePxBox, width: number, height: number): FramePxBox | undefined {
  const left = Math.max(0, Math.floor(face.x - face.w));
  const top = Math.max(0, Math.floor(face.y - 0.75 * face.h));
  const right = Math.min(width, Math.ceil(face.x + 2 * face.w));
  const bottom = Math.min(height, Math.ceil(face.y + 3 * face.h));
  if (right - left < 2 || bottom - top < 2) return undefined;
  return { x: left, y: top, w: right - left, h: bottom - top };
}

/**
 * A calibration snapshot for the web UI, as a JPEG data URL. It fails closed: the detector runs again here
 * at a low threshold over every scale (not trusting the analysis's faces alone); around every detection the
 * head and shoulders are pixelated to blocks a third of a face wide and the face itself is filled with one
 * flat colour; and the whole image is lightly blurred so that faces too small for any detector keep no
 * features. Staff click floor landmarks on it; they never need a
 * face.
 *
 * @param known - faces the pipeline already found in this frame (pixelated too, whatever the detector says now).
 */
export async function blurredSnapshot(
  frame: RgbFrame,
  detector: SnapshotDetector,
  known: readonly FramePxBox[] = [],
  quality = 70,
): Promise<string> {
  const { faces } = await detector.detect(frame, { ...SNAPSHOT_DETECT, pyramid: SNAPSHOT_PYRAMID });
  const raw = { width: frame.width, height: frame.height, channels: 3 as const };
  const overlays: sharp.OverlayOptions[] = [];
  const all = [...known, ...faces.map((d) => d.box)];
  for (const f of all) {
    const area = headAndShoulders(f, frame.width, frame.height);
    if (!area) continue;
    const { x: left, y: top, w: width, h: height } = area;
    // Head and shoulders: pixelated to blocks a third of a face wide, block edges blurred.
    const block = Math.max(2, Math.round(f.w / 3));
    const small = await sharp(frame.data, { raw })
      .extract({ left, top, width, height })
      .resize(Math.max(1, Math.round(width / block)), Math.max(1, Math.round(height / block)), {
        kernel: "cubic",
      })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixelated = await sharp(small.data, {
      raw: { width: small.info.width, height: small.info.height, channels: 3 },
    })
      .resize(width, height, { kernel: "nearest" })
      .blur(Math.max(1, block / 3))
      .png()
      .toBuffer();
    overlays.push({ input: pixelated, left, top });
  }
  // The face itself (and 40 % around it): one flat colour, the mean of the area — no eyes, mouth or outline
  // left for a person or a detector to read.
  for (const f of all) {
    const m = f.w * 0.4;
    const left = Math.max(0, Math.floor(f.x - m));
    const top = Math.max(0, Math.floor(f.y - m));
    const width = Math.min(frame.width, Math.ceil(f.x + f.w + m)) - left;
    const height = Math.min(frame.height, Math.ceil(f.y + f.h + m)) - top;
    if (width < 2 || height < 2) continue;
    const { channels } = await sharp(frame.data, { raw }).extract({ left, top, width, height }).stats();
    const [r, g, b] = channels.map((c) => Math.round(c.mean));
    const flat = await sharp({ create: { width, height, channels: 3, background: { r: r!, g: g!, b: b! } } })
      .png()
      .toBuffer();
    overlays.push({ input: flat, left, top });
  }
  // Two pipelines: sharp blurs an image before compositing onto it, and the blur must cover the result.
  const composed = await sharp(frame.data, { raw })
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const jpeg = await sharp(composed.data, {
    raw: { width: composed.info.width, height: composed.info.height, channels: composed.info.channels },
  })
    .blur(GLOBAL_BLUR_SIGMA)
    .jpeg({ quality })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
}
