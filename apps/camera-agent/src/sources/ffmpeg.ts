import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { FrameSource, SourceFrame } from "./frame-source.ts";

export interface FfmpegSourceOptions {
  /**
   * rtsp(s)://…, http(s)://… (MJPEG only), an absolute file path, or v4l2:/dev/videoN. Trusted: sources from
   * the database reach this class only through `createCameraSource`, which checks them first.
   */
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
  /** Strings never to log (the source's password): masked in ffmpeg's stderr before it is logged. */
  secrets?: string[];
  /**
   * Runs before every (re)connect: "retry" skips this attempt (down, backoff); `{ address }` connects to that
   * checked address (see `pinnedUrl`); throwing ends the source for good with the error in `refusal` (the
   * camera's host resolves to an address the allowlist refuses).
   */
  beforeConnect?: () => Promise<"retry" | { address: string }>;
}

/**
 * Input arguments for ffmpeg per kind of source. Each names its demuxer (`-f`) and the protocols ffmpeg may
 * open (`-protocol_whitelist`): a camera that answers with an HLS playlist, a concat list or a redirect
 * cannot send ffmpeg to another host or to a local file, as it could if ffmpeg probed the format itself.
 */
export function ffmpegInputArgs(
  url: string,
  realtime: boolean,
  loop: boolean,
  pinned?: { address: string },
): string[] {
  if (/^rtsps?:\/\//.test(url))
    return [
      "-protocol_whitelist",
      "rtsp,rtsps,tcp,tls,rtp,udp",
      "-rtsp_transport",
      "tcp",
      "-f",
      "rtsp",
      "-i",
      pinned ? pinnedUrl(url, pinned.address).url : url,
    ];
  if (/^https?:\/\//.test(url)) {
    const pin = pinned ? pinnedUrl(url, pinned.address) : null;
    return [
      "-protocol_whitelist",
      "http,https,tcp,tls",
      "-max_redirects",
      "0",
      "-reconnect",
      "0",
      ...(pin?.host ? ["-headers", `Host: ${pin.host}\r\n`] : []),
      "-f",
      "mpjpeg",
      "-i",
      pin?.url ?? url,
    ];
  }
  if (url.startsWith("v4l2:"))
    return ["-protocol_whitelist", "file", "-f", "v4l2", "-i", url.slice("v4l2:".length)];
  const path = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!path.startsWith("/")) throw new Error("a file source needs an absolute path");
  return [
    "-protocol_whitelist",
    "file",
    ...(realtime ? ["-re"] : []),
    ...(loop ? ["-stream_loop", "-1"] : []),
    "-i",
    path,
  ];
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
  /** pid of the running ffmpeg, if any (for CPU accounting). */
  pid: number | undefined = undefined;
  /** Why the source stopped for good (`beforeConnect` refused it), or null. */
  refusal: string | null = null;

  constructor(private readonly opts: FfmpegSourceOptions) {
    this.kind = opts.url.split(":")[0] === opts.url ? "file" : opts.url.split(":")[0]!;
  }

  async *frames(signal: AbortSignal): AsyncIterable<SourceFrame> {
    const { width, height, fps, realtime = true, loop = false, ffmpegPath = "ffmpeg", logger } = this.opts;
    const backoff = this.opts.backoffMs ?? { initial: 500, max: 30_000 };
    const isFile = !/^(rtsps?|https?|v4l2):/.test(this.opts.url);
    let delay = backoff.initial;

    while (!signal.aborted) {
      let pinned: { address: string } | undefined;
      if (this.opts.beforeConnect) {
        let verdict: "retry" | { address: string };
        try {
          verdict = await this.opts.beforeConnect();
        } catch (err) {
          this.up = false;
          this.refusal = (err as Error).message;
          return;
        }
        if (verdict === "retry") {
          this.up = false;
          logger?.warn({ url: redactUrl(this.opts.url), retryInMs: delay }, "camera host does not resolve");
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(backoff.max, delay * 2);
          continue;
        }
        pinned = verdict;
      }
      const args = [
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        ...ffmpegInputArgs(this.opts.url, realtime, loop, pinned),
        "-an",
        "-vf",
        `fps=${fps},scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`,
        "-pix_fmt",
        "rgb24",
        "-f",
        "rawvideo",
        "pipe:1",
      ];
      // The pipe is drained on a worker thread (see ffmpeg-reader.mjs), never blocked by inference here.
      const reader = new Worker(new URL("./ffmpeg-reader.mjs", import.meta.url), {
        workerData: {
          ffmpegPath,
          args,
          frameBytes: width * height * 3,
          stallMs: this.opts.stallMs ?? 10_000,
          // A file read faster than real time is analysed frame by frame; a live stream drops what it must.
          lossless: isFile && !realtime,
        },
      });
      const decodedBefore = this.decodedFrames;
      const droppedBefore = this.droppedFrames;
      let exit: { code: number | null; stderr: string } | null = null;
      let pending: ((m: ReaderMessage) => void) | null = null;
      reader.on("message", (m: ReaderMessage) => {
        if (m.type === "started") {
          this.pid = m.pid;
          return;
        }
        this.decodedFrames = decodedBefore + m.decoded;
        this.droppedFrames = droppedBefore + m.dropped;
        if (m.type === "exit") exit = { code: m.code, stderr: m.stderr };
        const p = pending;
        pending = null;
        p?.(m);
      });
      reader.on("error", (err) => {
        exit = { code: null, stderr: err.message };
        const p = pending;
        pending = null;
        p?.({ type: "exit", code: null, stderr: err.message, decoded: 0, dropped: 0 });
      });
      const onAbort = () => reader.postMessage("stop");
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        while (!signal.aborted && !exit) {
          const m = await new Promise<ReaderMessage>((resolve) => {
            pending = resolve;
            reader.postMessage("take");
          });
          if (m.type !== "frame") break;
          if (!this.up) {
            this.up = true;
            delay = backoff.initial;
            logger?.info({ url: redactUrl(this.opts.url) }, "stream up");
          }
          yield { frame: { width, height, channels: 3, data: m.data }, capturedAt: m.capturedAt };
        }
      } finally {
        signal.removeEventListener("abort", onAbort);
        if (!exit) reader.postMessage("stop");
        await new Promise((r) => (exit ? r(null) : reader.once("exit", r)));
        this.pid = undefined;
      }
      const code = (exit as { code: number | null } | null)?.code ?? null;
      if (signal.aborted) return;
      this.up = false;
      if (isFile && !loop && code === 0) return; // a file that ended normally is done
      logger?.warn(
        {
          url: redactUrl(this.opts.url),
          code,
          stderr: redactSecrets((exit as { stderr: string } | null)?.stderr ?? "", this.opts.secrets ?? [])
            .trim()
            .split("\n")
            .slice(-3),
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

type ReaderMessage =
  | { type: "started"; pid: number | undefined; decoded: number; dropped: number }
  | { type: "frame"; data: Uint8Array; capturedAt: number; decoded: number; dropped: number }
  | { type: "exit"; code: number | null; stderr: string; decoded: number; dropped: number };

/** Never log camera passwords. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

/**
 * Masks credentials in free text (ffmpeg's stderr): the user info of every URL in it, and each secret
 * as given and percent-decoded, wherever it appears.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1***@");
  for (const secret of secrets) {
    if (secret.length < 2) continue;
    let decoded = secret;
    try {
      decoded = decodeURIComponent(secret);
    } catch {
      /* not percent-encoded */
    }
    for (const s of new Set([secret, decoded])) out = out.split(s).join("***");
  }
  return out;
}

/**
 * The URL with its host replaced by the address the agent checked, so ffmpeg cannot resolve the name again
 * to somewhere else (DNS rebinding between the check and the connect). Plain HTTP keeps the name in the Host
 * header (`host`); TLS schemes keep the name (certificates and SNI need it) and rely on the check made just
 * before the connect.
 */
export function pinnedUrl(url: string, address: string): { url: string; host: string | null } {
  const u = new URL(url);
  if (u.protocol === "https:" || u.protocol === "rtsps:") return { url, host: null };
  const host = u.host;
  u.hostname = address.includes(":") ? `[${address}]` : address;
  return { url: u.toString(), host: u.protocol === "http:" ? host : null };
}
