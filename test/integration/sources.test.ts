import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { copyFile, mkdtemp, readdir, rm, utimes } from "node:fs/promises";
import os from "node:os";
import { faceApiDemoDir, FfmpegSource, ImageFolderSource } from "@shelf/camera-agent";
import { datasetsDir } from "../setup/env.ts";
import { freePort, mjpegServer } from "../support/processes.ts";

const data = datasetsDir();
const gif = data ? path.join(data, "store-video/face-demographics-walking.gif") : "";
const logger = pino({ level: "silent" });

/** A live HTTP MJPEG camera: ffmpeg serving the GIF in a loop at its native rate. */

describe.skipIf(!data)("ffmpeg camera sources (real ffmpeg)", () => {
  const children: ChildProcess[] = [];
  afterEach(() => children.forEach((c) => c.kill("SIGKILL")));

  it("decodes a video file at the analysis rate into RGB frames of the camera's size", async () => {
    const source = new FfmpegSource({ url: gif, width: 320, height: 240, fps: 5, realtime: false, logger });
    const frames: { w: number; h: number }[] = [];
    for await (const { frame } of source.frames(new AbortController().signal))
      frames.push({ w: frame.width, h: frame.height });
    // 2.9 s at 5 fps ≈ 15 frames (ffmpeg's fps filter rounds at both ends).
    expect(frames.length).toBeGreaterThanOrEqual(13);
    expect(frames.length).toBeLessThanOrEqual(17);
    expect(frames.every((f) => f.w === 320 && f.h === 240)).toBe(true);
    expect(source.reconnects).toBe(0);
  });

  it("drops frames instead of queueing them when the consumer is slower than a live camera", async () => {
    // realtime: ffmpeg delivers at the video's own pace, as a camera would.
    const source = new FfmpegSource({ url: gif, width: 160, height: 90, fps: 12, realtime: true, logger });
    let got = 0;
    for await (const _ of source.frames(new AbortController().signal)) {
      got++;
      await new Promise((r) => setTimeout(r, 250)); // a slow model
    }
    expect(source.decodedFrames).toBeGreaterThan(30);
    expect(source.droppedFrames).toBeGreaterThan(10);
    expect(got + source.droppedFrames).toBe(source.decodedFrames);
  });

  it("analyses every frame of a file read faster than real time, pausing ffmpeg instead of dropping", async () => {
    const source = new FfmpegSource({ url: gif, width: 160, height: 90, fps: 12, realtime: false, logger });
    let got = 0;
    for await (const _ of source.frames(new AbortController().signal)) {
      got++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(source.droppedFrames).toBe(0);
    expect(got).toBe(source.decodedFrames);
    expect(got).toBeGreaterThan(30);
  });

  it("reads a live HTTP MJPEG stream and reconnects after the stream is killed and restarted", async () => {
    const port = await freePort();
    children.push(mjpegServer(gif, port));
    const source = new FfmpegSource({
      url: `http://127.0.0.1:${port}/feed.mjpg`,
      width: 320,
      height: 180,
      fps: 5,
      logger,
      backoffMs: { initial: 200, max: 1000 },
    });
    const abort = new AbortController();
    const seen: number[] = [];
    let restarted = false;
    const consumer = (async () => {
      for await (const { capturedAt } of source.frames(abort.signal)) {
        seen.push(capturedAt);
        if (seen.length === 5 && !restarted) {
          restarted = true;
          children.forEach((c) => c.kill("SIGKILL")); // the camera goes away…
          setTimeout(() => children.push(mjpegServer(gif, port)), 1500); // …and comes back
        }
        if (seen.length >= 12) break;
      }
    })();
    // The first connection may race the server's start: that is a reconnect too, so count from the restart.
    await Promise.race([
      consumer,
      new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${seen.length} frames`)), 60_000)),
    ]);
    abort.abort();
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect(source.reconnects).toBeGreaterThanOrEqual(1);
    // A gap while the stream was down, then frames again.
    const gaps = seen.slice(1).map((t, i) => t - seen[i]!);
    expect(Math.max(...gaps)).toBeGreaterThan(1000);
  });
});

describe("image-folder source (motion-style stills)", () => {
  it("analyses the newest still, counts the skipped ones, and deletes every still it read", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "stills-"));
    const source = new ImageFolderSource({ dir, width: 320, height: 240, pollMs: 50, settleMs: 0 });
    const abort = new AbortController();
    const got: number[] = [];
    const consumer = (async () => {
      for await (const { frame, capturedAt } of source.frames(abort.signal)) {
        expect(frame.width * frame.height * 3).toBe(frame.data.length);
        got.push(capturedAt);
        if (got.length === 2) abort.abort();
      }
    })();
    // Three stills land at once (a burst), then one more later.
    for (const [i, f] of ["sample1.jpg", "sample2.jpg", "sample3.jpg"].entries()) {
      await copyFile(path.join(faceApiDemoDir(), f), path.join(dir, f));
      const t = new Date(Date.now() - 10_000 + i * 1000);
      await utimes(path.join(dir, f), t, t);
    }
    await new Promise((r) => setTimeout(r, 400));
    await copyFile(path.join(faceApiDemoDir(), "sample4.jpg"), path.join(dir, "sample4.jpg"));
    await consumer;
    expect(got).toHaveLength(2);
    expect(source.droppedFrames).toBe(2);
    expect(await readdir(dir)).toEqual([]); // nothing with a face is left on disk
    await rm(dir, { recursive: true });
  });
});
