import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { InferenceInputError } from "./errors.ts";
import { assertRgbFrame, cropFace, cropProblem, decodeImage, type RgbFrame } from "./frame.ts";
import { demoPhotoPath } from "./test-support/demo-photos.ts";

function solid(width: number, height: number, rgb: [number, number, number]): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, channels: 3, data };
}

/** A valid JPEG whose header claims `width` × `height`: a decompression bomb in 1 kB. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#808080" } })
    .jpeg()
    .toBuffer();
  const out = Buffer.from(jpeg);
  for (let i = 0; i < out.length - 9; i++) {
    // SOF0 / SOF2 marker: FF C0|C2, length (2), precision (1), height (2), width (2).
    if (out[i] === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2)) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
  }
  throw new Error("no SOF marker");
}

describe("decodeImage", () => {
  it("decodes a JPEG into RGB rows", async () => {
    const frame = await decodeImage(readFileSync(demoPhotoPath(1)));
    expect(frame).toMatchObject({ width: 1920, height: 1280, channels: 3 });
    expect(frame.data.length).toBe(1920 * 1280 * 3);
  });

  it("turns a grey PNG into three equal channels", async () => {
    const png = await sharp(Buffer.from([0, 255, 128, 64]), { raw: { width: 2, height: 2, channels: 1 } })
      .png()
      .toBuffer();
    const frame = await decodeImage(png);
    expect(frame.channels).toBe(3);
    expect(Array.from(frame.data.subarray(0, 6))).toEqual([0, 0, 0, 255, 255, 255]);
  });

  it.each([
    ["an empty buffer", new Uint8Array(0), /empty/],
    ["random bytes", new Uint8Array(2048).map((_, i) => (i * 7919) % 251), /cannot read image header/],
    ["text", new TextEncoder().encode("not an image at all"), /cannot read image header/],
  ])("rejects %s with a clear error", async (_name, buf, message) => {
    await expect(decodeImage(buf)).rejects.toThrow(InferenceInputError);
    await expect(decodeImage(buf)).rejects.toThrow(message);
  });

  it("rejects a truncated (corrupt) JPEG", async () => {
    const jpeg = readFileSync(demoPhotoPath(2));
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    await expect(decodeImage(truncated)).rejects.toThrow(InferenceInputError);
  });

  it("rejects a JPEG with its middle overwritten", async () => {
    const jpeg = Buffer.from(readFileSync(demoPhotoPath(3)));
    jpeg.fill(0xff, Math.floor(jpeg.length * 0.4), Math.floor(jpeg.length * 0.6));
    await expect(decodeImage(jpeg)).rejects.toThrow(InferenceInputError);
  });

  it("refuses a 20000×20000 image before decoding a pixel", async () => {
    const bomb = await jpegClaiming(20_000, 20_000);
    const started = performance.now();
    await expect(decodeImage(bomb)).rejects.toThrow(/20000×20000 = 400\.0 MP, over the 50\.0 MP limit/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("honours a lower pixel limit", async () => {
    const png = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    await expect(decodeImage(png, { maxPixels: 5000 })).rejects.toThrow(/over the 0\.0 MP limit/);
  });
});

describe("assertRgbFrame", () => {
  it("accepts a well-formed frame", () => {
    expect(() => assertRgbFrame(solid(4, 3, [1, 2, 3]))).not.toThrow();
  });

  it.each([
    [
      "data too short",
      { width: 4, height: 3, channels: 3, data: new Uint8Array(35) },
      /35 bytes, expected 4×3×3 = 36/,
    ],
    ["zero width", { width: 0, height: 3, channels: 3, data: new Uint8Array(0) }, /positive integers/],
    [
      "fractional height",
      { width: 4, height: 2.5, channels: 3, data: new Uint8Array(30) },
      /positive integers/,
    ],
    ["RGBA", { width: 1, height: 1, channels: 4, data: new Uint8Array(4) }, /3 channels/],
    ["plain array data", { width: 1, height: 1, channels: 3, data: [1, 2, 3] }, /Uint8Array/],
    [
      "20000×20000 claimed",
      { width: 20_000, height: 20_000, channels: 3, data: new Uint8Array(3) },
      /over the 50\.0 MP limit/,
    ],
  ])("rejects %s", (_name, frame, message) => {
    expect(() => assertRgbFrame(frame as unknown as RgbFrame)).toThrow(message);
  });
});

describe("cropFace", () => {
  it("returns a grey square of the requested size with the source face size", () => {
    const crop = cropFace(solid(100, 80, [200, 100, 50]), { x: 10, y: 10, w: 40, h: 50 });
    expect(crop).toMatchObject({ width: 64, height: 64, channels: 1, sourceSizePx: 40 });
    // BT.601 luma of (200, 100, 50).
    expect(crop.data.every((v) => v === Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50))).toBe(true);
  });

  it("keeps RGB when asked", () => {
    const crop = cropFace(solid(50, 50, [9, 8, 7]), { x: 0, y: 0, w: 50, h: 50 }, { size: 32, channels: 3 });
    expect(crop.data.length).toBe(32 * 32 * 3);
    expect(Array.from(crop.data.subarray(0, 3))).toEqual([9, 8, 7]);
    expect(cropProblem(crop)).toBeUndefined();
  });

  it("samples the right region", () => {
    // Left half black, right half white; a crop of the right half is white.
    const frame = solid(200, 100, [0, 0, 0]);
    for (let y = 0; y < 100; y++) frame.data.fill(255, (y * 200 + 100) * 3, (y * 200 + 200) * 3);
    const right = cropFace(frame, { x: 120, y: 20, w: 60, h: 60 }, { offsetY: 0 });
    const left = cropFace(frame, { x: 20, y: 20, w: 60, h: 60 }, { offsetY: 0 });
    expect(Math.min(...right.data)).toBe(255);
    expect(Math.max(...left.data)).toBe(0);
  });

  it("repeats edge pixels for boxes hanging off the frame", () => {
    const crop = cropFace(solid(20, 20, [50, 50, 50]), { x: -30, y: -30, w: 40, h: 40 });
    expect(crop.data.every((v) => v === 50)).toBe(true);
  });

  it("works on a 1×1 frame", () => {
    const crop = cropFace(solid(1, 1, [10, 20, 30]), { x: 0, y: 0, w: 1, h: 1 }, { size: 8, channels: 3 });
    expect(Array.from(crop.data.subarray(0, 3))).toEqual([10, 20, 30]);
  });

  it.each([
    ["size over MAX_CROP_SIDE", { size: 161 }, /8…160/],
    ["fractional size", { size: 63.5 }, /integer/],
    ["channels 2", { channels: 2 }, /1 or 3/],
    ["huge margin", { margin: 3 }, /margin/],
  ])("rejects %s", (_name, opts, message) => {
    expect(() => cropFace(solid(10, 10, [0, 0, 0]), { x: 0, y: 0, w: 5, h: 5 }, opts as never)).toThrow(
      message,
    );
  });

  it("rejects boxes without area or with NaN", () => {
    const frame = solid(10, 10, [0, 0, 0]);
    expect(() => cropFace(frame, { x: 0, y: 0, w: 0, h: 5 })).toThrow(InferenceInputError);
    expect(() => cropFace(frame, { x: Number.NaN, y: 0, w: 5, h: 5 })).toThrow(InferenceInputError);
  });

  it("rejects a malformed frame", () => {
    expect(() =>
      cropFace({ width: 10, height: 10, channels: 3, data: new Uint8Array(10) }, { x: 0, y: 0, w: 5, h: 5 }),
    ).toThrow(/expected 10×10×3/);
  });
});

describe("cropProblem", () => {
  it("names what is wrong with a crop", () => {
    expect(cropProblem({ width: 8, height: 8, channels: 1, data: new Uint8Array(63) })).toMatch(/63 bytes/);
    expect(cropProblem({ width: 200, height: 200, channels: 1, data: new Uint8Array(40_000) })).toMatch(
      /160 px/,
    );
    expect(cropProblem({ width: 8, height: 8, channels: 2 as 1, data: new Uint8Array(128) })).toMatch(
      /channels/,
    );
    expect(cropProblem(null as never)).toMatch(/object/);
  });
});
