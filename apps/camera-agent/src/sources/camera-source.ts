import { lookup } from "node:dns/promises";
import type { Logger } from "pino";
import {
  CameraSourceError,
  checkSourceAddresses,
  parseCameraSource,
  withCredentials,
  type CameraSource,
} from "@shelf/core";
import { openSecret } from "@shelf/db";
import { createSource } from "./index.ts";
import { FfmpegSource, redactUrl } from "./ffmpeg.ts";
import type { FrameSource, SourceFrame } from "./frame-source.ts";

/** A camera's source as the agent read it from the database (nothing in it is trusted). */
export interface StoredSource {
  sourceUrl: string;
  /** Sealed `user:password`, or null. */
  sourceCredentials: string | null;
  /** The store's allowlist of camera hosts. */
  allowlist: string[];
}

export interface CameraSourceOptions {
  width: number;
  height: number;
  fps: number;
  logger: Logger;
  fast?: boolean;
  loop?: boolean;
  /** Agent-side sources the web may name as `local:<name>`: name → file path, `v4l2:/dev/…` or `folder:/…`. */
  localSources?: Readonly<Record<string, string>>;
  /** Opens sealed credentials; without it a camera with credentials is refused. */
  secretKey?: Buffer;
  /** Name resolution (tests may pass their own). Default: the system resolver, every address. */
  resolve?: (host: string) => Promise<string[]>;
}

const systemResolve = (host: string) =>
  lookup(host, { all: true, verbatim: true }).then((found) => found.map((a) => a.address));

/**
 * The frame source for a camera stored in the database, checked by the same rules the web app applies
 * (packages/core camera-source.ts) before anything is opened: no file paths or devices from the database
 * (only `local:` names the agent's own configuration maps), network hosts only on the store's allowlist,
 * with every resolved address checked again before each (re)connect. A refused source yields no frame and
 * says why in `refusal`.
 */
export function createCameraSource(
  stored: StoredSource,
  opts: CameraSourceOptions,
): FrameSource & {
  readonly refusal: string | null;
} {
  return new CheckedSource(stored, opts);
}

class CheckedSource implements FrameSource {
  kind = "checked";
  refusal: string | null = null;
  private inner: FrameSource | null = null;

  constructor(
    private readonly stored: StoredSource,
    private readonly opts: CameraSourceOptions,
  ) {}

  get up(): boolean {
    return this.inner?.up ?? false;
  }
  get droppedFrames(): number {
    return this.inner?.droppedFrames ?? 0;
  }
  get reconnects(): number {
    return this.inner?.reconnects ?? 0;
  }

  async *frames(signal: AbortSignal): AsyncIterable<SourceFrame> {
    try {
      this.inner = await this.open();
    } catch (err) {
      if (!(err instanceof CameraSourceError)) throw err;
      this.refuse(err.message);
      return;
    }
    yield* this.inner.frames(signal);
    if (this.inner instanceof FfmpegSource && this.inner.refusal) this.refuse(this.inner.refusal);
  }

  private refuse(reason: string): void {
    this.refusal = reason;
    this.opts.logger.error(
      { reason },
      "camera source refused: fix it in the web app (admins) or the agent's AGENT_LOCAL_SOURCES",
    );
  }

  /**
   * Before each connect: refuses (throws) a host resolving outside the allowlist, retries one not resolving,
   * and otherwise names the checked address ffmpeg connects to.
   */
  private async checkAddresses(
    source: Extract<CameraSource, { kind: "network" }>,
  ): Promise<"retry" | { address: string }> {
    const addresses = await (this.opts.resolve ?? systemResolve)(source.host).catch(() => []);
    if (addresses.length === 0) return "retry"; // DNS down or the name is gone: the camera is down, not refused
    const verdict = checkSourceAddresses({ host: source.host, addresses, allowlist: this.stored.allowlist });
    if (!verdict.ok) throw new CameraSourceError(verdict.reason);
    return { address: addresses[0]! };
  }

  private async open(): Promise<FrameSource> {
    const { width, height, fps, logger, fast, loop } = this.opts;
    const source = parseCameraSource(this.stored.sourceUrl);
    this.kind = source.kind === "network" ? source.scheme : source.kind;
    if (source.kind === "demo" || source.kind === "local") {
      let target = "demo:face-api";
      if (source.kind === "local") {
        const mapped = this.opts.localSources?.[source.name];
        if (!mapped)
          throw new CameraSourceError(`local:${source.name} is not one of this agent's AGENT_LOCAL_SOURCES`);
        target = mapped;
      }
      // Configured by whoever runs the agent: trusted, but still read with a file-only protocol whitelist.
      return createSource(target, { width, height, fps, logger, fast, loop });
    }
    if (this.stored.sourceCredentials && !this.opts.secretKey)
      throw new CameraSourceError("the source has credentials but the agent has no camera secret key");
    let credentials = source.credentials;
    if (this.stored.sourceCredentials) {
      try {
        credentials = openSecret(this.opts.secretKey!, this.stored.sourceCredentials);
      } catch (err) {
        throw new CameraSourceError((err as Error).message);
      }
    }
    const password = credentials?.includes(":") ? credentials.slice(credentials.indexOf(":") + 1) : null;
    const url = withCredentials(source.url, credentials);
    logger.debug(
      { url: redactUrl(url) },
      "camera source parsed; its addresses are checked before each connect",
    );
    return new FfmpegSource({
      url,
      width,
      height,
      fps,
      logger,
      realtime: !fast,
      loop,
      secrets: password ? [password] : [],
      // Names can be re-pointed (DNS rebinding): every connect checks the addresses again.
      beforeConnect: () => this.checkAddresses(source),
    });
  }
}
