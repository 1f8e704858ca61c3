import sharp from "sharp";
import { MAX_CROP_SIDE, type FramePxBox } from "@shelf/core";
import { InferenceInputError } from "./errors.ts";

/** Raw RGB pixels, row-major, 3 bytes per pixel: what ffmpeg's `-f rawvideo -pix_fmt rgb24` writes. */
export interface RgbFrame {
  /** px */
  width: number;
  /** px */
  height: number;
  channels: 3;
  /** width × height × 3 bytes. */
  data: Uint8Array;
}

/** A square-ish face crop, grey (1 channel) or RGB (3), row-major; the classifier's input. */
export interface FaceCrop {
  /** px */
  width: number;
  /** px */
  height: number;
  channels: 1 | 3;
  /** width × height × channels bytes. */
  data: Uint8Array;
  /**
   * The face's size in the source frame (px, shorter side of its detection box), when known. A crop is
   * resampled to a fixed size, so without this the classifier cannot tell a 20 px face blown up to 64 px
   * from a real 64 px face. {@link cropFace} sets it; queue payloads do not carry it, but the worker can
   * restore it from the job's box.
   */
  sourceSizePx?: number;
}

/**
 * Largest frame or image accepted, in pixels (50 MP: an 8K frame is 33 MP). Decoding allocates 3 bytes per
 * pixel before anything else happens, so this is what stops a decompression bomb.
 */
export const DEFAULT_MAX_PIXELS = 50_000_000;

/**
 * Decodes an encoded image (JPEG, PNG, WebP, GIF first frame, …) into an RGB frame with `sharp`,
 * honouring EXIF orientation and dropping alpha.
 *
 * @param opts.maxPixels - largest accepted width × height, px; default {@link DEFAULT_MAX_PIXELS}.
 * @throws InferenceInputError on an empty buffer, an unknown or corrupt format, or too many pixels.
 */
export async function decodeImage(buf: Uint8Array, opts: { maxPixels?: number } = {}): Promise<RgbFrame> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(buf instanceof Uint8Array)) throw new InferenceInputError("image must be a Uint8Array or Buffer");
  if (buf.length === 0) throw new InferenceInputError("image buffer is empty");
  // Reading the header first gives a precise message before any pixel is decoded.
  let meta: sharp.Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new InferenceInputError(`cannot read image header: ${messageOf(err)}`, { cause: err });
  }
  const { width = 0, height = 0 } = meta;
  if (width * height > maxPixels)
    throw new InferenceInputError(
      `image is ${width}×${height} = ${megapixels(width * height)}, over the ${megapixels(maxPixels)} limit`,
    );
  try {
    const { data, info } = await sharp(buf, { limitInputPixels: maxPixels, failOn: "warning" })
      .rotate()
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new InferenceInputError(`decoded image has ${info.channels} channels, expected 3`);
    return {
      width: info.width,
      height: info.height,
      channels: 3,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (err) {
    if (err instanceof InferenceInputError) throw err;
    throw new InferenceInputError(`cannot decode image: ${messageOf(err)}`, { cause: err });
  }
}

/**
 * Checks that `frame` is a well-formed RGB frame of at most `maxPixels`.
 *
 * @throws InferenceInputError naming what is wrong.
 */
export function assertRgbFrame(frame: RgbFrame, maxPixels = DEFAULT_MAX_PIXELS): void {
  if (typeof frame !== "object" || frame === null) throw new InferenceInputError("frame must be an object");
  const { width, height, channels, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new InferenceInputError(`frame size must be positive integers, got ${width}×${height}`);
  if (channels !== 3)
    throw new InferenceInputError(`frame must have 3 channels (RGB), got ${String(channels)}`);
  if (width * height > maxPixels)
    throw new InferenceInputError(
      `frame is ${width}×${height} = ${megapixels(width * height)}, over the ${megapixels(maxPixels)} limit`,
    );
  if (!(data instanceof Uint8Array)) throw new InferenceInputError("frame data must be a Uint8Array");
  if (data.length !== width * height * 3)
    throw new InferenceInputError(
      `frame data has ${data.length} bytes, expected ${width}×${height}×3 = ${width * height * 3}`,
    );
}

/** How {@link cropFace} frames a face. */
export interface CropOptions {
  /** Output side, px, 8…{@link MAX_CROP_SIDE}. Default 64 (the emotion model's input). */
  size?: number;
  /** 1 = grey (BT.601 luma, what both expression models were trained on), 3 = RGB. Default 1. */
  channels?: 1 | 3;
  /**
   * Extra context on each side, as a fraction of the box's longer side (0.1 = 10 % more on every side).
   * Default 0: the tiny detector's box already matches FER-2013's framing in size (measured, see README).
   */
  margin?: number;
  /**
   * Vertical shift of the crop centre, as a fraction of the crop side; negative moves it up. Default −0.1:
   * the tiny detector's box sits 10 % lower on the face (chin in, forehead cut) than FER-2013's crops.
   */
  offsetY?: number;
}

/** Crop framing defaults (see {@link CropOptions}). */
export const DEFAULT_CROP = { size: 64, channels: 1, margin: 0, offsetY: -0.1 } as const;

/**
 * Cuts a square face crop out of a frame and resamples it to `size`×`size`: the exact input the
 * expression classifier expects, and what the camera agent enqueues. The square is centred on the box
 * (shifted by `offsetY`), its side is the box's longer side plus `margin`; parts outside the frame repeat
 * the edge pixels, which disturbs the classifier less than black bars. Downscaling averages a grid of
 * samples per output pixel, so small crops from large faces do not alias.
 *
 * @throws InferenceInputError on a malformed frame, a box that is not finite or has no area, or options
 *   out of range.
 */
export function cropFace(frame: RgbFrame, box: FramePxBox, opts: CropOptions = {}): FaceCrop {
  assertRgbFrame(frame, Number.POSITIVE_INFINITY);
  const size = opts.size ?? DEFAULT_CROP.size;
  const channels = opts.channels ?? DEFAULT_CROP.channels;
  const margin = opts.margin ?? DEFAULT_CROP.margin;
  const offsetY = opts.offsetY ?? DEFAULT_CROP.offsetY;
  if (!Number.isInteger(size) || size < 8 || size > MAX_CROP_SIDE)
    throw new InferenceInputError(`crop size must be an integer in 8…${MAX_CROP_SIDE}, got ${size}`);
  if (channels !== 1 && channels !== 3) throw new InferenceInputError(`crop channels must be 1 or 3`);
  if (!(margin >= -0.25 && margin <= 1)) throw new InferenceInputError(`crop margin must be in −0.25…1`);
  if (!(Math.abs(offsetY) <= 0.5)) throw new InferenceInputError(`crop offsetY must be in −0.5…0.5`);
  const { x, y, w, h } = box;
  if (![x, y, w, h].every(Number.isFinite) || !(w > 0) || !(h > 0))
    throw new InferenceInputError(
      `face box must be finite with positive size, got ${JSON.stringify({ x, y, w, h })}`,
    );

  const side = Math.max(w, h) * (1 + 2 * margin);
  const x0 = x + w / 2 - side / 2;
  const y0 = y + h / 2 + offsetY * side - side / 2;
  const step = side / size; // frame px per crop px
  // Samples per output pixel along each axis: enough to cover the source footprint, capped for speed.
  const k = Math.min(4, Math.max(1, Math.ceil(step)));
  const src = frame.data;
  const fw = frame.width;
  const fh = frame.height;
  // Where each sub-sample column and row falls (byte offset of its top-left source pixel, bilinear weight),
  // computed once instead of per output pixel: the crop is k² × size² samples, the axes only k × size.
  const cols = samplePositions(x0, step, size, k, fw);
  const rows = samplePositions(y0, step, size, k, fh);
  for (let i = 0; i < rows.offset.length; i++) rows.offset[i] = rows.offset[i]! * fw;
  const colNext = fw === 1 ? 0 : 3;
  const rowNext = fh === 1 ? 0 : fw * 3;
  const n = k * k;
  const out = new Uint8Array(size * size * channels);
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < k; sy++) {
        const ry = oy * k + sy;
        const rowOff = rows.offset[ry]!;
        const ty = rows.weight[ry]!;
        for (let sx = 0; sx < k; sx++) {
          const cx = ox * k + sx;
          const tx = cols.weight[cx]!;
          const i00 = (rowOff + cols.offset[cx]!) * 3;
          const i01 = i00 + colNext;
          const i10 = i00 + rowNext;
          const i11 = i10 + colNext;
          // Same operations in the same order as a per-pixel bilinear sample: identical bytes.
          let top = src[i00]! * (1 - tx) + src[i01]! * tx;
          let bottom = src[i10]! * (1 - tx) + src[i11]! * tx;
          r += top * (1 - ty) + bottom * ty;
          top = src[i00 + 1]! * (1 - tx) + src[i01 + 1]! * tx;
          bottom = src[i10 + 1]! * (1 - tx) + src[i11 + 1]! * tx;
          g += top * (1 - ty) + bottom * ty;
          top = src[i00 + 2]! * (1 - tx) + src[i01 + 2]! * tx;
          bottom = src[i10 + 2]! * (1 - tx) + src[i11 + 2]! * tx;
          b += top * (1 - ty) + bottom * ty;
        }
      }
      const o = (oy * size + ox) * channels;
      if (channels === 1) out[o] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) / n);
      else {
        out[o] = Math.round(r / n);
        out[o + 1] = Math.round(g / n);
        out[o + 2] = Math.round(b / n);
      }
    }
  }
  return { width: size, height: size, channels, data: out, sourceSizePx: Math.min(w, h) };
}

/** Grey (BT.601 luma) bytes of a crop: a view of the same data when it is grey already. */
export function cropToGrey(crop: FaceCrop): Uint8Array {
  if (crop.channels === 1) return crop.data;
  const n = crop.width * crop.height;
  const grey = new Uint8Array(n);
  for (let i = 0; i < n; i++)
    grey[i] = Math.round(
      0.299 * crop.data[i * 3]! + 0.587 * crop.data[i * 3 + 1]! + 0.114 * crop.data[i * 3 + 2]!,
    );
  return grey;
}

/** Describes what is wrong with a crop's shape, or returns undefined when it is well-formed. */
export function cropProblem(crop: FaceCrop): string | undefined {
  if (typeof crop !== "object" || crop === null) return "crop must be an object";
  const { width, height, channels, data } = crop;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    return `crop size must be positive integers, got ${width}×${height}`;
  if (width > MAX_CROP_SIDE || height > MAX_CROP_SIDE)
    return `crop ${width}×${height} is over the ${MAX_CROP_SIDE} px limit`;
  if (channels !== 1 && channels !== 3) return `crop channels must be 1 or 3, got ${String(channels)}`;
  if (!(data instanceof Uint8Array)) return "crop data must be a Uint8Array";
  if (data.length !== width * height * channels)
    return `crop data has ${data.length} bytes, expected ${width}×${height}×${channels} = ${width * height * channels}`;
  return undefined;
}

/**
 * Bilinear sample positions along one axis of a crop: for each of `size × k` sub-samples (output pixel, then
 * sub-sample), the index of the first of the two source pixels (clamped to the frame, `limit` px long) and the
 * weight of the second. Sub-sample centres, minus 0.5 to address pixel centres; edges repeat.
 */
function samplePositions(
  start: number,
  step: number,
  size: number,
  k: number,
  limit: number,
): { offset: Int32Array; weight: Float64Array } {
  const offset = new Int32Array(size * k);
  const weight = new Float64Array(size * k);
  for (let o = 0; o < size; o++)
    for (let s = 0; s < k; s++) {
      const f = clamp(start + (o + (s + 0.5) / k) * step - 0.5, 0, limit - 1);
      const i = Math.min(limit - 2, Math.floor(f));
      offset[o * k + s] = Math.max(0, i);
      weight[o * k + s] = limit === 1 ? 0 : f - i;
    }
  return { offset, weight };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function megapixels(px: number): string {
  return `${(px / 1e6).toFixed(1)} MP`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split("\n")[0]! : String(err);
}
