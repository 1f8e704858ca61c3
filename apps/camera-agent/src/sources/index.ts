import type { Logger } from "pino";
import { DemoPhotosSource } from "./demo-photos.ts";
import { FfmpegSource } from "./ffmpeg.ts";
import { ImageFolderSource } from "./image-folder.ts";
import type { FrameSource } from "./frame-source.ts";

export type { FrameSource, SourceFrame } from "./frame-source.ts";
export { DemoPhotosSource, faceApiDemoDir, letterbox } from "./demo-photos.ts";
export { FfmpegSource, ffmpegInputArgs, redactSecrets, redactUrl } from "./ffmpeg.ts";
export { createCameraSource, type CameraSourceOptions, type StoredSource } from "./camera-source.ts";
export { ImageFolderSource } from "./image-folder.ts";

/**
 * Picks the source for a trusted, agent-side source (AGENT_LOCAL_SOURCES, tests, benchmarks); sources from
 * the database go through `createCameraSource`, which checks them first:
 * - `demo:face-api` — the photos @vladmandic/face-api ships (the demo camera);
 * - `folder:/path` — motion-triggered stills written into a folder (deleted once read; `?keep=1` keeps them);
 * - anything else — ffmpeg: `rtsp://…`, `http(s)://…` (MJPEG), `v4l2:/dev/video0`, or a video file path.
 */
export function createSource(
  url: string,
  opts: { width: number; height: number; fps: number; logger: Logger; fast?: boolean; loop?: boolean },
): FrameSource {
  if (url.startsWith("folder:")) {
    const u = new URL(url.replace(/^folder:/, "file:"));
    return new ImageFolderSource({
      dir: decodeURIComponent(u.pathname),
      width: opts.width,
      height: opts.height,
      deleteAfterRead: u.searchParams.get("keep") !== "1",
      logger: opts.logger,
    });
  }
  if (url.startsWith("demo:")) {
    return new DemoPhotosSource({
      width: opts.width,
      height: opts.height,
      fps: opts.fps,
      fast: opts.fast,
      loop: opts.loop,
    });
  }
  return new FfmpegSource({
    url,
    width: opts.width,
    height: opts.height,
    fps: opts.fps,
    logger: opts.logger,
    realtime: !opts.fast,
    loop: opts.loop,
  });
}
