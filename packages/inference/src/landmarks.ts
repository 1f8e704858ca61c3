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
 * ends (points 0 and 16). Turning the head shortens one side; a rigid-head model (jaw ends ±80° round
 * the head, nose tip 0.3 head radii proud) puts 0.66 at 10° of yaw, 0.41 at 20° and 0.2 at 30°. The tiny
 * landmark net pulls extreme poses toward the mean face, so real yaw at a given value is if anything
 * larger. On face-api's demo photos, faces in three-quarter view read 0.15–0.33, faces toward the
 * camera 0.45–0.87. A proxy, not a pose estimate: good enough to drop profiles from emotion statistics.
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
