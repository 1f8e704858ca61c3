/**
 * A small seeded pseudo-random generator (mulberry32): same seed, same sequence, on every platform.
 * Used where results must be reproducible (RANSAC sampling, synthetic test data); not for anything
 * security-related.
 *
 * @param seed - any 32-bit integer; other numbers are truncated to 32 bits.
 * @returns a function yielding uniform floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
