import { spawn } from "node:child_process";
import { estimateHomography } from "@shelf/core";
import type { CameraConfig } from "@shelf/camera-agent";
import type { RgbFrame } from "@shelf/inference";

/**
 * The benches' camera: the whole frame maps to one zone with one item (every face found makes a visit), under a
 * homography from four fixed frame → floor points scaled to the frame's size. Shared by bench:agent and bench:edge.
 */
export function wholeFrameCamera(c: {
  cameraId: string;
  sourceUrl: string;
  width: number;
  height: number;
}): CameraConfig {
  const { width, height } = c;
  const pairs = [
    { frame: { x: 0, y: height }, floor: { x: 18, y: 12 } },
    { frame: { x: width, y: height }, floor: { x: 22, y: 12 } },
    { frame: { x: width, y: height * 0.4 }, floor: { x: 26, y: 24 } },
    { frame: { x: 0, y: height * 0.4 }, floor: { x: 14, y: 24 } },
  ];
  return {
    storeId: "bench",
    cameraId: c.cameraId,
    name: "bench",
    sourceUrl: c.sourceUrl,
    sourceCredentials: null,
    allowlist: [],
    width,
    height,
    analysisFps: 30,
    calibration: { version: 1, homography: [...estimateHomography(pairs).homography.h], headHeightM: 1.5 },
    zones: [
      {
        id: "z",
        polygon: [
          { x: -500, y: -500 },
          { x: 500, y: -500 },
          { x: 500, y: 500 },
          { x: -500, y: 500 },
        ],
        staffOnly: false,
        slots: [{ itemId: "i", start: 0, end: 1, level: 0 }],
      },
    ],
  };
}

/**
 * One pass of a clip as raw rgb24 frames, decoded as the agent's FfmpegSource asks ffmpeg to (its fps, scale and
 * pad filters), all in memory: benches that feed the same frames in order to the detector.
 */
export async function decodeClipFrames(
  video: string,
  opts: { fps: number; width: number; height: number },
): Promise<RgbFrame[]> {
  const { fps, width, height } = opts;
  const ff = spawn("ffmpeg", [
    ...["-v", "error", "-i", video, "-an", "-vf"],
    `fps=${fps},scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`,
    ...["-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"],
  ]);
  const chunks: Buffer[] = [];
  for await (const c of ff.stdout) chunks.push(c as Buffer);
  const all = Buffer.concat(chunks);
  const size = width * height * 3;
  const out: RgbFrame[] = [];
  for (let o = 0; o + size <= all.length; o += size)
    out.push({ width, height, channels: 3, data: new Uint8Array(all.subarray(o, o + size)) });
  return out;
}
