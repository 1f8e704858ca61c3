import type * as TF from "@tensorflow/tfjs";
import type { FaceCrop } from "./frame.ts";
import type { FaceApiModule, FaceApiProcessorNet, Tf } from "./runtime.ts";

/** Input side of face-api's landmark and expression nets, px. */
export const FACE_API_INPUT = 112;

/**
 * Frontality of each face, 0…1 (1 = facing the camera), from face-api's 68-point tiny landmark net run
 * on square 112×112 RGB crops of the detection boxes.
 *
 * The measure is the left/right symmetry of the jaw about the nose tip once the eye line is levelled:
 * `min(dL, dR) / max(dL, dR)` with dL, dR the horizontal distances from nose tip (point 30) to the jaw
 * ends (points 0 and 16). Turning the head shortens one side: roughly 0.8 at 10° yaw, 0.5 near 30°, 0.3
 * near 45°. The tiny landmark net pulls extreme poses toward the mean face, so the measure is
 * conservative (reads profiles as less turned than they are).
 */
export async function frontalScores(
  tf: Tf,
  faceapi: FaceApiModule,
  net: FaceApiProcessorNet,
  crops: readonly FaceCrop[],
): Promise<number[]> {
  if (crops.length === 0) return [];
  const out = tf.tidy(() => {
    const inputs = crops.map((c) => tf.tensor3d(c.data, [c.height, c.width, 3], "float32"));
    return net.forwardInput(new faceapi.NetInput(inputs as TF.Tensor3D[]));
  });
  const flat = await out.data();
  out.dispose();
  return crops.map((_, i) => frontalFromLandmarks(flat.subarray(i * 136, (i + 1) * 136)));
}

/** Frontality 0…1 from 68 interleaved (x, y) landmarks in any consistent unit; see {@link frontalScores}. */
export function frontalFromLandmarks(xy: ArrayLike<number>): number {
  const pt = (i: number) => ({ x: xy[2 * i]!, y: xy[2 * i + 1]! });
  const mean = (from: number, to: number) => {
    let x = 0;
    let y = 0;
    for (let i = from; i <= to; i++) {
      x += xy[2 * i]!;
      y += xy[2 * i + 1]!;
    }
    return { x: x / (to - from + 1), y: y / (to - from + 1) };
  };
  const leftEye = mean(36, 41);
  const rightEye = mean(42, 47);
  const nose = pt(30);
  // Undo head roll so that "horizontal" means along the eye line.
  const angle = Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  const along = (p: { x: number; y: number }) => (p.x - nose.x) * cos - (p.y - nose.y) * sin;
  const dLeft = -along(pt(0));
  const dRight = along(pt(16));
  if (!(dLeft > 0 && dRight > 0)) return 0;
  return Math.min(dLeft, dRight) / Math.max(dLeft, dRight);
}
