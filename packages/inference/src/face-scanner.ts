import type { FramePxBox } from "@shelf/core";
import {
  CROP_FRAMING,
  type DetectedFace,
  type DetectOptions,
  type DetectResult,
  type FaceAnalyzer,
} from "./analyzer.ts";
import type { ScanRegion } from "./blazeface.ts";
import {
  NET_FACE_MIN,
  overlapOfSmaller,
  pyramidRegions,
  regionAroundFace,
  type PyramidOptions,
} from "./face-scan.ts";
import type { RgbFrame } from "./frame.ts";

/**
 * Face detection for one static camera, spending detector time only where a face can be — the way Frigate
 * runs object detection on weak hardware:
 *
 * - **around the faces of the previous analysed frame**, each at the one scale that suits its size;
 * - **where something moved** (frame differencing on a coarse grey grid) that the known faces' bodies do
 *   not explain, with the full pyramid of scales;
 * - **a full scan** of the whole frame every `fullScanMs` (people who stand still, faces a region missed),
 *   on the first frame, and whenever motion covers most of the frame (a camera bump, lights); the periodic
 *   one includes the finest pyramid level only every `fineScanEvery`-th time.
 *
 * An empty, still aisle costs the motion check only (well under a millisecond). Pixels are kept only as the
 * coarse grey grid of the previous frame (one value per `cellPx` square: no face is recognisable in it).
 */
export interface FaceScannerOptions {
  /** A full scan at least this often, ms of capture time. Default 2000. */
  fullScanMs?: number;
  /**
   * The periodic full scan includes the pyramid's finest level (the smallest faces: under twice `minFacePx`,
   * 16–32 px by default, 73 % of a full scan's network pixels) only every `fineScanEvery`-th time; the other
   * periodic scans run the coarser levels over the whole frame, plus the regions around followed faces too
   * small for them. A small face that nothing moves near and that no region follows is then found within
   * `fineScanEvery × fullScanMs` rather than `fullScanMs` (moving ones are found by the motion regions, which
   * keep every level). Faces that small never give a crop (`quality.minFaceSize`, 40 px). The first scan
   * and those that motion over most of the frame triggers are always complete. 1 = every periodic scan is
   * complete. Default 2.
   */
  fineScanEvery?: number;
  /** Side of a motion-grid cell, frame px. Default 8. */
  cellPx?: number;
  /** Grey-level change (0–255, cell mean) that counts as motion. Default 10. */
  motionThreshold?: number;
  /** Motion covering more than this share of the frame triggers a full scan instead. Default 0.5. */
  fullScanMotionShare?: number;
  /** Each known face is searched in its box grown by this many box sides on every side. Default: 3 under 32 px, else 2. */
  faceContext?: number;
  /**
   * Minimum score around a face already followed (lower than the one that starts it, like ByteTrack's second
   * stage: BlazeFace's scores for 12–20 px faces wobble by ±0.1 from frame to frame). Default 0.4.
   */
  keepScore?: number;
  /** A followed face missed this many analysed frames in a row is dropped. Default 2. */
  coastFrames?: number;
  /**
   * A followed face with no motion around its head is re-detected only every `stillFaceSkip + 1` frames and
   * carried over (same box, same score) in between: a shopper standing still at a shelf costs a third.
   * Any motion at the head (turning, talking, a change of expression large enough to show on the 8 px grid)
   * makes it scanned again at once. 0 = scan every followed face every frame. Default 2.
   */
  stillFaceSkip?: number;
  /** Pyramid limits for full scans and motion regions (as the analyzer's `detector.blazeface`). */
  pyramid?: PyramidOptions;
}

/** "full": the whole frame (every level, or the coarser ones, see `fineScanEvery`). */
export type ScanMode = "full" | "regions" | "idle";

export interface ScanResult extends DetectResult {
  mode: ScanMode;
  /** Regions scanned (a full scan counts its pyramid levels). */
  regions: number;
}

export class FaceScanner {
  private prevGrid: Float32Array | undefined;
  private gridW = 0;
  private gridH = 0;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  /** Periodic scans without the finest level since the last complete one. */
  private coarseScans = 0;
  private known: {
    box: FramePxBox;
    missed: number;
    skipped: number;
    face?: DetectedFace;
    /** The box found the time before: a face that moved between the two is not carried. */
    before?: FramePxBox;
  }[] = [];
  private readonly opts: Required<Omit<FaceScannerOptions, "pyramid" | "faceContext">> & {
    pyramid: PyramidOptions;
    faceContext: number | undefined;
  };

  constructor(
    private readonly analyzer: Pick<FaceAnalyzer, "detect">,
    opts: FaceScannerOptions = {},
  ) {
    this.opts = {
      fullScanMs: opts.fullScanMs ?? 2000,
      fineScanEvery: Math.max(1, Math.floor(opts.fineScanEvery ?? 2)),
      cellPx: opts.cellPx ?? 8,
      motionThreshold: opts.motionThreshold ?? 10,
      fullScanMotionShare: opts.fullScanMotionShare ?? 0.5,
      faceContext: opts.faceContext,
      keepScore: opts.keepScore ?? 0.4,
      coastFrames: opts.coastFrames ?? 2,
      stillFaceSkip: opts.stillFaceSkip ?? 2,
      pyramid: opts.pyramid ?? {},
    };
  }

  /** Forget the previous frame (a new source, a reconfiguration): the next scan is a full one. */
  reset(): void {
    this.prevGrid = undefined;
    this.known = [];
    this.lastFullAt = Number.NEGATIVE_INFINITY;
    this.coarseScans = 0;
  }

  /**
   * Finds the faces in `frame`, captured at `capturedAt` (ms).
   *
   * @param detectOpts - passed to the analyzer (e.g. a minimum score); `regions` is the scanner's to set.
   */
  async scan(
    frame: RgbFrame,
    capturedAt: number,
    detectOpts: Omit<DetectOptions, "regions"> = {},
  ): Promise<ScanResult> {
    const grid = this.motionGrid(frame);
    const sameSize = this.prevGrid?.length === grid.length;
    const due = capturedAt - this.lastFullAt >= this.opts.fullScanMs || capturedAt < this.lastFullAt;
    let regions: ScanRegion[] | undefined;
    const carried: DetectedFace[] = [];
    let coarse = false;
    if (sameSize && due && capturedAt >= this.lastFullAt && this.coarseScans + 1 < this.opts.fineScanEvery) {
      // A periodic scan without the finest level: the coarser levels over the whole frame; at the finest
      // level, what moved since the last frame and the followed faces too small for the coarser levels.
      const levels = pyramidRegions(frame, this.opts.pyramid);
      const moving = this.motionBoxes(this.changedCells(this.prevGrid!, grid));
      const movingArea = moving.reduce((a, m) => a + m.w * m.h, 0);
      if (levels.length > 1 && movingArea <= this.opts.fullScanMotionShare * frame.width * frame.height) {
        const smallestCoarse = NET_FACE_MIN / levels[1]!.scale;
        regions = levels.slice(1);
        for (const m of moving) regions.push({ box: m, scale: levels[0]!.scale });
        for (const k of this.known)
          if (Math.min(k.box.w, k.box.h) < smallestCoarse)
            regions.push({
              ...regionAroundFace(k.box, this.opts.faceContext),
              minScore: this.opts.keepScore,
            });
        coarse = true;
      }
    }
    if (sameSize && !due) {
      const changed = this.changedCells(this.prevGrid!, grid);
      const moving = this.motionBoxes(changed);
      const movingArea = moving.reduce((a, m) => a + m.w * m.h, 0);
      if (movingArea <= this.opts.fullScanMotionShare * frame.width * frame.height) {
        regions = [];
        for (const k of this.known) {
          const still =
            k.face &&
            k.missed === 0 &&
            k.skipped < this.opts.stillFaceSkip &&
            k.before !== undefined &&
            stayed(k.before, k.box);
          if (still && !this.movedNear(changed, k.box)) carried.push(k.face!);
          else
            regions.push({
              ...regionAroundFace(k.box, this.opts.faceContext),
              minScore: this.opts.keepScore,
            });
        }
        // Motion regions keep their own size (multiples of 32): snapped to NET_SIDES they grew by 8 % and changed
        // which small faces the tracker kept (eval:visits: one walking-clip visit split, 9 visits for 8).
        for (const m of moving)
          for (const level of pyramidRegions({ width: m.w, height: m.h }, this.opts.pyramid))
            regions.push({ box: { ...m }, scale: level.scale });
      }
    }
    this.prevGrid = grid;
    if (regions && regions.length === 0) {
      this.follow([], carried);
      return {
        faces: carried,
        timings: { detect: 0, total: 0 },
        frame,
        cropFraming: CROP_FRAMING.blazeface,
        mode: carried.length ? "regions" : "idle",
        regions: 0,
      };
    }
    const mode: ScanMode = regions && !coarse ? "regions" : "full";
    if (!regions || coarse) this.lastFullAt = capturedAt;
    if (coarse) this.coarseScans++;
    else if (!regions) this.coarseScans = 0;
    const result = await this.analyzer.detect(frame, { ...detectOpts, ...(regions ? { regions } : {}) });
    const kept = carried.filter((c) => !result.faces.some((f) => overlapOfSmaller(f.box, c.box) > 0.3));
    this.follow(result.faces, kept);
    return {
      ...result,
      faces: [...result.faces, ...kept],
      mode,
      regions: regions?.length ?? pyramidRegions(frame, this.opts.pyramid).length,
    };
  }

  /** Updates the followed faces: found ones (fresh), carried still ones, and missed ones still coasting. */
  private follow(found: readonly DetectedFace[], carried: readonly DetectedFace[]): void {
    const next: typeof this.known = found.map((face) => {
      const prior = this.known.find((k) => overlapOfSmaller(k.box, face.box) > 0.3);
      return { box: face.box, missed: 0, skipped: 0, face, ...(prior ? { before: prior.box } : {}) };
    });
    for (const k of this.known) {
      if (k.face && carried.includes(k.face)) {
        next.push({ ...k, skipped: k.skipped + 1 });
        continue;
      }
      if (k.missed < this.opts.coastFrames && !found.some((f) => overlapOfSmaller(f.box, k.box) > 0.3))
        next.push({ box: k.box, missed: k.missed + 1, skipped: 0 });
    }
    this.known = next;
  }

  /** Whether any motion cell lies within half a face of this face's box. */
  private movedNear(changed: Uint8Array, f: FramePxBox): boolean {
    const { gridW: gw, gridH: gh } = this;
    const c = this.opts.cellPx;
    const x0 = Math.max(0, Math.floor((f.x - f.w / 2) / c));
    const x1 = Math.min(gw - 1, Math.floor((f.x + 1.5 * f.w) / c));
    const y0 = Math.max(0, Math.floor((f.y - f.h / 2) / c));
    const y1 = Math.min(gh - 1, Math.floor((f.y + 1.5 * f.h) / c));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (changed[y * gw + x]) return true;
    return false;
  }

  /** Cells whose mean grey level changed by more than the motion threshold. */
  private changedCells(prev: Float32Array, grid: Float32Array): Uint8Array {
    const changed = new Uint8Array(grid.length);
    for (let i = 0; i < grid.length; i++)
      if (Math.abs(grid[i]! - prev[i]!) > this.opts.motionThreshold) changed[i] = 1;
    return changed;
  }

  /** Mean grey level per cell, sampling every other pixel of every other row (enough to see motion). */
  private motionGrid(frame: RgbFrame): Float32Array {
    const c = this.opts.cellPx;
    const gw = Math.ceil(frame.width / c);
    const gh = Math.ceil(frame.height / c);
    this.gridW = gw;
    this.gridH = gh;
    // Integer sums (exact), one cell at a time along each sampled row; the samples per cell counted from the
    // cell's extent rather than one by one.
    const acc = new Uint32Array(gw * gh);
    const { data, width, height } = frame;
    const firstEven = (v: number) => v + (v & 1);
    const evensIn = (from: number, to: number) => Math.max(0, Math.ceil((to - firstEven(from)) / 2));
    for (let y = 0; y < height; y += 2) {
      const row = Math.floor(y / c) * gw;
      const line = y * width * 3;
      for (let cx = 0; cx < gw; cx++) {
        const end = line + Math.min(width, (cx + 1) * c) * 3;
        let sum = 0;
        for (let p = line + firstEven(cx * c) * 3; p < end; p += 6)
          sum += data[p]! + 2 * data[p + 1]! + data[p + 2]!;
        acc[row + cx]! += sum;
      }
    }
    const sum = new Float32Array(gw * gh);
    for (let cy = 0; cy < gh; cy++) {
      const rows = evensIn(cy * c, Math.min(height, (cy + 1) * c));
      for (let cx = 0; cx < gw; cx++) {
        const n = rows * evensIn(cx * c, Math.min(width, (cx + 1) * c));
        sum[cy * gw + cx] = acc[cy * gw + cx]! / (4 * Math.max(1, n));
      }
    }
    return sum;
  }

  /** Connected groups of changed cells (8-neighbour, grown by one cell), as frame-px boxes. */
  private motionBoxes(changed: Uint8Array): FramePxBox[] {
    const { gridW: gw, gridH: gh } = this;
    const c = this.opts.cellPx;
    // Cells inside a followed person's own body column (the face box widened 3×, from one face above it to
    // 8 below): motion there is their arms, torso, legs. A moving group mostly (80 %) in such cells is
    // explained, even when several people side by side merge into one group.
    const body = new Uint8Array(gw * gh);
    for (const { box: f } of this.known) {
      const x0 = Math.max(0, Math.floor((f.x - f.w) / c));
      const x1 = Math.min(gw - 1, Math.floor((f.x + 2 * f.w) / c));
      const y0 = Math.max(0, Math.floor((f.y - f.h) / c));
      const y1 = Math.min(gh - 1, Math.floor((f.y + 9 * f.h) / c));
      for (let y = y0; y <= y1; y++) body.fill(1, y * gw + x0, y * gw + x1 + 1);
    }
    const seen = new Uint8Array(gw * gh);
    const boxes: FramePxBox[] = [];
    const stack: number[] = [];
    for (let start = 0; start < changed.length; start++) {
      if (!changed[start] || seen[start]) continue;
      let x0 = gw;
      let y0 = gh;
      let x1 = -1;
      let y1 = -1;
      stack.push(start);
      seen[start] = 1;
      let cells = 0;
      let explained = 0;
      while (stack.length) {
        const i = stack.pop()!;
        cells++;
        explained += body[i]!;
        const x = i % gw;
        const y = (i - x) / gw;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            const ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= gw || ny >= gh) continue;
            const j = ny * gw + nx;
            if (changed[j] && !seen[j]) {
              seen[j] = 1;
              stack.push(j);
            }
          }
      }
      if (explained >= 0.8 * cells) continue;
      // One cell of margin on every side: a face half inside the moving area is still found.
      boxes.push({ x: (x0 - 1) * c, y: (y0 - 1) * c, w: (x1 - x0 + 3) * c, h: (y1 - y0 + 3) * c });
    }
    return boxes;
  }
}

/** The same face found twice at nearly the same place: centre within 10 % of its width, size within 10 %. */
function stayed(a: FramePxBox, b: FramePxBox): boolean {
  const shift = Math.hypot(a.x + a.w / 2 - b.x - b.w / 2, a.y + a.h / 2 - b.y - b.h / 2);
  return shift <= 0.1 * b.w && Math.abs(a.w - b.w) <= 0.1 * b.w;
}
