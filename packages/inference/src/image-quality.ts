/**
 * Cheap, model-free image measures for the quality gate. All work on grey bytes, row-major.
 */

/** Standard deviation of the grey levels (0–255): near 0 for a blank or flat crop. */
export function greyContrast(grey: Uint8Array): number {
  let sum = 0;
  let sq = 0;
  for (const v of grey) {
    sum += v;
    sq += v * v;
  }
  const n = grey.length;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean));
}

/**
 * Blur of a grey crop in 0…1 (0 = crisp, 1 = no detail left). It compares the energy of the Laplacian
 * (fine detail) with the overall grey-level variance (contrast), so it does not depend on lighting or
 * skin tone, only on how much of the contrast lives in fine detail:
 * `blur = 1 − min(1, √(var(∇²I) / var(I)) / 2)`. Measure it on a fixed-size crop (the analyzer uses
 * 64×64) so that it does not depend on the face's size in the frame either. Flat crops (contrast < 1)
 * count as fully blurred.
 */
export function greyBlur(grey: Uint8Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 1;
  let sum = 0;
  let sq = 0;
  let lsum = 0;
  let lsq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const c = grey[i]!;
      const lap = 4 * c - grey[i - 1]! - grey[i + 1]! - grey[i - width]! - grey[i + width]!;
      sum += c;
      sq += c * c;
      lsum += lap;
      lsq += lap * lap;
      n++;
    }
  }
  const variance = sq / n - (sum / n) ** 2;
  if (!(variance >= 1)) return 1;
  const lapVariance = Math.max(0, lsq / n - (lsum / n) ** 2);
  return 1 - Math.min(1, Math.sqrt(lapVariance / variance) / 2);
}

/**
 * Bilinear resample of grey bytes to size × size (the gate measures blur at a fixed 64 px so that its
 * threshold holds for any crop size).
 */
export function resizeGrey(grey: Uint8Array, width: number, height: number, size: number): Uint8Array {
  if (width === size && height === size) return grey;
  const out = new Uint8Array(size * size);
  const sx = width / size;
  const sy = height / size;
  for (let oy = 0; oy < size; oy++) {
    const fy = Math.min(height - 1, Math.max(0, (oy + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(height - 1, y0 + 1);
    const ty = fy - y0;
    for (let ox = 0; ox < size; ox++) {
      const fx = Math.min(width - 1, Math.max(0, (ox + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(width - 1, x0 + 1);
      const tx = fx - x0;
      const top = grey[y0 * width + x0]! * (1 - tx) + grey[y0 * width + x1]! * tx;
      const bottom = grey[y1 * width + x0]! * (1 - tx) + grey[y1 * width + x1]! * tx;
      out[oy * size + ox] = Math.round(top * (1 - ty) + bottom * ty);
    }
  }
  return out;
}
