import { describe, expect, it } from "vitest";
import { greyBlur, greyContrast, resizeGrey } from "./image-quality.ts";

/** Deterministic pseudo-random grey noise. */
function noise(size: number, seed = 1): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: size * size }, () => {
    // xorshift32: the low bits of a plain LCG are far from random.
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % 256;
  });
}

/** A smooth horizontal ramp: all contrast, no fine detail. */
function ramp(size: number): Uint8Array {
  return Uint8Array.from({ length: size * size }, (_, i) => Math.round(((i % size) / (size - 1)) * 255));
}

describe("greyContrast", () => {
  it("is 0 for a flat image and large for noise", () => {
    expect(greyContrast(new Uint8Array(64 * 64).fill(90))).toBe(0);
    expect(greyContrast(noise(64))).toBeGreaterThan(60);
  });
});

describe("greyBlur", () => {
  it("is 0 for pixel noise, near 1 for a smooth ramp, 1 for a flat image", () => {
    expect(greyBlur(noise(64), 64, 64)).toBe(0);
    expect(greyBlur(ramp(64), 64, 64)).toBeGreaterThan(0.99);
    expect(greyBlur(new Uint8Array(64 * 64).fill(7), 64, 64)).toBe(1);
  });

  it("grows when the same image is smoothed", () => {
    const sharp = noise(32);
    const smooth = resizeGrey(resizeGrey(sharp, 32, 32, 8), 8, 8, 32);
    expect(greyBlur(smooth, 32, 32)).toBeGreaterThan(greyBlur(sharp, 32, 32) + 0.3);
  });

  it("does not depend on brightness or contrast", () => {
    const img = noise(64, 7).map((v) => 40 + v / 4);
    const brighter = img.map((v) => v * 2 + 20);
    expect(greyBlur(brighter, 64, 64)).toBeCloseTo(greyBlur(img, 64, 64), 2);
  });
});

describe("resizeGrey", () => {
  it("returns the same bytes at the same size and keeps a constant image constant", () => {
    const img = noise(16);
    expect(resizeGrey(img, 16, 16, 16)).toBe(img);
    expect(resizeGrey(new Uint8Array(48 * 48).fill(77), 48, 48, 64).every((v) => v === 77)).toBe(true);
  });
});
