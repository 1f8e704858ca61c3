import sharp from "sharp";
import type { FramePxBox } from "@shelf/core";
import type { RgbFrame } from "@shelf/inference";

/** Extra margin blurred around each face box, as a fraction of the box size (hair, ears, chin). */
const FACE_MARGIN = 0.35;

/**
 * A calibration snapshot for the web UI: the frame as a JPEG data URL with every detected face (plus a
 * margin) pixelated beyond recognition before the image leaves the agent. Staff click floor landmarks on it;
 * they never need a face. The caller must pass ALL detections (not only those that pass the quality gate).
 */
export async function blurredSnapshot(
  frame: RgbFrame,
  faces: readonly FramePxBox[],
  quality = 70,
): Promise<string> {
  const raw = { width: frame.width, height: frame.height, channels: 3 as const };
  const overlays: sharp.OverlayOptions[] = [];
  for (const f of faces) {
    const mx = f.w * FACE_MARGIN;
    const my = f.h * FACE_MARGIN;
    const left = Math.max(0, Math.floor(f.x - mx));
    const top = Math.max(0, Math.floor(f.y - my));
    const width = Math.min(frame.width - left, Math.ceil(f.w + 2 * mx));
    const height = Math.min(frame.height - top, Math.ceil(f.h + 2 * my));
    if (width < 2 || height < 2) continue;
    // Pixelate (down to ~6 blocks across, back up with nearest neighbour), then blur the block edges.
    const blocks = Math.max(1, Math.round(width / 6));
    const small = await sharp(frame.data, { raw })
      .extract({ left, top, width, height })
      .resize(Math.max(1, Math.round(width / blocks)), Math.max(1, Math.round(height / blocks)), {
        kernel: "cubic",
      })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixelated = await sharp(small.data, {
      raw: { width: small.info.width, height: small.info.height, channels: 3 },
    })
      .resize(width, height, { kernel: "nearest" })
      .blur(Math.max(1, blocks / 3))
      .png()
      .toBuffer();
    overlays.push({ input: pixelated, left, top });
  }
  const jpeg = await sharp(frame.data, { raw }).composite(overlays).jpeg({ quality }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
}
