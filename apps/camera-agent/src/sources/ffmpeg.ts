import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import type { FrameSource, SourceFrame } from "./frame-source.ts";

export interface FfmpegSourceOptions {
  /** rtsp://…, http(s)://… (MJPEG or any stream ffmpeg reads), a file path, or v4l2:/dev/videoN. */
  url: string;
  width: number;
  height: number;
  /** Analysis rate: ffmpeg resamples the stream to this many frames per second. */
  fps: number;
  /** Read files at their native rate (as a live camera would deliver them). Default true. */
  realtime?: boolean;
  /** Files: start again at the end. Streams ignore it. Default false. */
  loop?: boolean;
  /** ffmpeg binary. Default "ffmpeg" (Debian's, on PATH). */
  ffmpegPath?: string;
  /** Reconnect backoff, ms: initial and maximum. Default 500 / 30 000. */
  backoffMs?: { initial: number; max: number };
  /** A stream silent for this long is considered lost, ms. Default 10 000. */
  stallMs?: number;
  logger?: Logger;
}

/** Input arguments for ffmpeg per kind of source. */
export function ffmpegInputArgs(url: string, realtime: boolean, loop: boolean): string[] {
  if (url.startsWith("rtsp://")) return ["-rtsp_transport", "tcp", "-i", url];
  if (/^https?:\/\//.test(url)) return ["-reconnect", "0", "-i", url];
  if (url.startsWith("v4l2:")) return ["-f", "v4l2", "-i", url.slice("v4l2:".length)];
  const path = url.startsWith("file:") ? url.slice("file:".length) : url;
  return [...(realtime ? ["-re"] : []), ...(loop ? ["-stream_loop", "-1"] : []), "-i", path];
}

/**
 * Any camera ffmpeg can read (RTSP, HTTP MJPEG, files, USB/v4l2), decoded to raw RGB at the analysis rate.
 * A reader keeps only the newest frame (a one-slot mailbox): frames the consumer did not take are counted as
 * dropped, so memory stays bounded whatever the camera does. On stream loss it reconnects with exponential
 * backoff, reporting `up = false` meanwhile.
 */
export class FfmpegSource implements FrameSource {
  readonly kind: string;
  droppedFrames = 0;
  reconnects = 0;
  up = false;
  /** Frames decoded since start. */
  decodedFrames = 0;

  constructor(private readonly opts: FfmpegSourceOptions) {
    this.kind = opts.url.split(":")[0] === opts.url ? "file" : opts.url.split(":")[0]!;
  }

  async *frames(signal: AbortSignal): AsyncIterable<SourceFrame> {
    const { width, height, fps, realtime = true, loop = false, ffmpegPath = "ffmpeg", logger } = this.opts;
    const backoff = this.opts.backoffMs ?? { initial: 500, max: 30_000 };
    const stallMs = this.opts.stallMs ?? 10_000;
    const frameBytes = width * height * 3;
    const isFile = !/^(rtsp|https?|v4l2):/.test(this.opts.url);
    let delay = backoff.initial;

    while (!signal.aborted) {
      const args = [
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        ...ffmpegInputArgs(this.opts.url, realtime, loop),
        "-an",
        "-vf",
        `fps=${fps},scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`,
        "-pix_fmt",
        "rgb24",
        "-f",
        "rawvideo",
        "pipe:1",
      ];
      const child: ChildProcessByStdio<null, Readable, Readable> = spawn(ffmpegPath, args, {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      const onAbort = () => child.kill("SIGKILL");
      signal.addEventListener("abort", onAbort, { once: true });

      // Mailbox: the newest complete frame, and a waiter for the consumer.
      let latest: SourceFrame | null = null;
      let wake: (() => void) | null = null;
      let ended = false;
      let partial: Buffer = Buffer.alloc(0);
      let lastData = Date.now();
      const notify = () => {
        const w = wake;
        wake = null;
        w?.();
      };
      child.stdout.on("data", (chunk: Buffer) => {
        lastData = Date.now();
        partial = partial.length ? Buffer.concat([partial, chunk]) : chunk;
        while (partial.length >= frameBytes) {
          // Copy out: the frame must not alias ffmpeg's reusable chunk buffers.
          const data = new Uint8Array(partial.subarray(0, frameBytes));
          partial = partial.subarray(frameBytes);
          if (latest) this.droppedFrames++;
          latest = { frame: { width, height, channels: 3, data }, capturedAt: Date.now() };
          this.decodedFrames++;
          if (!this.up) {
            this.up = true;
            delay = backoff.initial;
            logger?.info({ url: redactUrl(this.opts.url) }, "stream up");
          }
          notify();
        }
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      void exited.then(() => {
        ended = true;
        notify();
      });
      const stallTimer = setInterval(
        () => {
          if (Date.now() - lastData > stallMs) {
            logger?.warn({ url: redactUrl(this.opts.url), stallMs }, "stream stalled; restarting");
            child.kill("SIGKILL");
          }
        },
        Math.min(stallMs, 1000),
      );

      try {
        while (!signal.aborted) {
          if (!latest) {
            if (ended) break;
            await new Promise<void>((r) => (wake = r));
            continue;
          }
          const next: SourceFrame = latest;
          latest = null;
          yield next;
        }
      } finally {
        clearInterval(stallTimer);
        signal.removeEventListener("abort", onAbort);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      const code = await exited;
      if (signal.aborted) return;
      this.up = false;
      if (isFile && !loop && code === 0) return; // a file that ended normally is done
      logger?.warn(
        {
          url: redactUrl(this.opts.url),
          code,
          stderr: stderr.trim().split("\n").slice(-3),
          retryInMs: delay,
        },
        "stream lost; reconnecting",
      );
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(backoff.max, delay * 2);
      this.reconnects++;
    }
  }
}

/** Never log camera passwords. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
