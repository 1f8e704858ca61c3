import { estimateHomography } from "@shelf/core";
import type { CameraConfig } from "@shelf/camera-agent";

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
