import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import type { Db } from "@shelf/db";
import type { FramePxBox } from "@shelf/core";
import type { FaceAnalyzer, RgbFrame } from "@shelf/inference";
import { configVersion, loadCameraConfigs, sourceKey, type CameraConfig } from "./camera-config.ts";
import type { JobSink } from "./job-sink.ts";
import { createAgentMetrics, type AgentMetrics } from "./metrics.ts";
import { CameraPipeline, type PipelineOptions } from "./pipeline.ts";
import { createCameraSource, type FrameSource } from "./sources/index.ts";
import { blurredSnapshot } from "./snapshot.ts";

export interface AgentDeps {
  db: Db;
  analyzer: Pick<FaceAnalyzer, "detect">;
  /** Classification at the edge (AGENT_CLASSIFY=1): see the pipeline's `classifier`. */
  classifier?: Pick<FaceAnalyzer, "classify">;
  sink: JobSink;
  logger: Logger;
  storeSlug: string;
  /** Re-read camera config this often for hot reload, ms. Default 5000. */
  configPollMs?: number;
  pipeline?: PipelineOptions;
  /** A face-blurred calibration snapshot is stored this often per camera (and at start), ms. Default 600 000. */
  snapshotIntervalMs?: number;
  /** Sources deliver frames as fast as analysis takes them, and stop at their end (tests, benchmarks). */
  fast?: boolean;
  loop?: boolean;
  metrics?: AgentMetrics;
  /** Agent-side sources cameras may name as `local:<name>` (AGENT_LOCAL_SOURCES): name → path or device. */
  localSources?: Readonly<Record<string, string>>;
  /** Opens sealed camera credentials (CAMERA_SECRET_KEY or the key file). */
  secretKey?: Buffer;
}

interface RunningCamera {
  config: CameraConfig;
  version: string;
  pipeline: CameraPipeline;
  source: FrameSource;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Runs every enabled camera of a store: one loop per camera pulls the newest frame and analyses it.
 * Cameras share the process's one inference core, so they take turns; a slow model drops frames, never
 * queues them. Config changes (new calibration, zones, planogram) are picked up without restart.
 */
export class CameraAgent {
  readonly runId = randomBytes(4).toString("hex");
  readonly metrics: AgentMetrics;
  private readonly cameras = new Map<string, RunningCamera>();
  private pollTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: AgentDeps) {
    this.metrics = deps.metrics ?? createAgentMetrics();
  }

  async start(): Promise<void> {
    await this.reload();
    this.pollTimer = setInterval(() => {
      this.reload().catch((err: unknown) =>
        this.deps.logger.error({ err }, "config reload failed; keeping the old config"),
      );
    }, this.deps.configPollMs ?? 5000);
  }

  /** Resolves when every camera's source has ended (files in fast mode) or the agent stopped. */
  async idle(): Promise<void> {
    await Promise.all([...this.cameras.values()].map((c) => c.done));
  }

  status(): {
    runId: string;
    cameras: { id: string; name: string; up: boolean; dropped: number; reconnects: number }[];
  } {
    return {
      runId: this.runId,
      cameras: [...this.cameras.values()].map((c) => ({
        id: c.config.cameraId,
        name: c.config.name,
        up: c.source.up,
        dropped: c.source.droppedFrames,
        reconnects: c.source.reconnects,
      })),
    };
  }

  private async reload(): Promise<void> {
    if (this.stopped) return;
    const configs = await loadCameraConfigs(this.deps.db, this.deps.storeSlug);
    const seen = new Set<string>();
    for (const config of configs) {
      seen.add(config.cameraId);
      const running = this.cameras.get(config.cameraId);
      const version = configVersion(config);
      if (!running) this.startCamera(config);
      else if (running.version !== version) {
        if (sourceKey(running.config) !== sourceKey(config)) {
          await this.stopCamera(config.cameraId);
          this.startCamera(config);
        } else {
          this.deps.logger.info(
            { camera: config.cameraId, calibration: config.calibration?.version },
            "camera mapping reloaded",
          );
          await running.pipeline.reconfigure(config);
          running.config = config;
          running.version = version;
        }
      }
    }
    for (const id of [...this.cameras.keys()]) if (!seen.has(id)) await this.stopCamera(id);
  }

  private startCamera(config: CameraConfig): void {
    const logger = this.deps.logger.child({ camera: config.cameraId, cameraName: config.name });
    if (!config.calibration)
      logger.warn("camera has no calibration: faces are detected but mapped to no zone");
    const source = createCameraSource(config, {
      localSources: this.deps.localSources,
      secretKey: this.deps.secretKey,
      width: config.width,
      height: config.height,
      fps: config.analysisFps,
      logger,
      fast: this.deps.fast,
      loop: this.deps.loop,
    });
    const pipeline = new CameraPipeline(config, {
      analyzer: this.deps.analyzer,
      ...(this.deps.classifier ? { classifier: this.deps.classifier } : {}),
      sink: this.deps.sink,
      logger,
      metrics: this.metrics,
      runId: this.runId,
      options: this.deps.pipeline,
    });
    const abort = new AbortController();
    const camera = config.cameraId;
    const done = (async () => {
      let last = Date.now();
      let count = 0;
      let nextSnapshot = 0;
      let reportedUp: boolean | null = null;
      let reportedAt = 0;
      for await (const { frame, capturedAt } of source.frames(abort.signal)) {
        try {
          const { faces } = await pipeline.process(frame, capturedAt);
          if (Date.now() >= nextSnapshot) {
            nextSnapshot = Date.now() + (this.deps.snapshotIntervalMs ?? 600_000);
            await this.storeSnapshot(
              config.cameraId,
              frame,
              faces.map((f) => f.box),
            );
          }
        } catch (err) {
          logger.error({ err }, "frame analysis failed; skipping the frame");
        }
        count++;
        const now = Date.now();
        if (now - last >= 10_000) {
          this.metrics.fps.set({ camera }, (count * 1000) / (now - last));
          [last, count] = [now, 0];
        }
        if (source.up !== reportedUp || Date.now() - reportedAt > 30_000) {
          [reportedUp, reportedAt] = [source.up, Date.now()];
          await this.reportStatus(config.cameraId, source.up);
        }
        this.metrics.framesDropped.set({ camera }, source.droppedFrames);
        this.metrics.reconnects.set({ camera }, source.reconnects);
        this.metrics.up.set({ camera }, source.up ? 1 : 0);
      }
      await pipeline.flush(Date.now());
      if (source.refusal) await this.reportStatus(config.cameraId, "refused");
      logger.info("camera source ended");
    })().catch((err: unknown) => logger.error({ err }, "camera loop crashed"));
    this.cameras.set(config.cameraId, {
      config,
      version: configVersion(config),
      pipeline,
      source,
      abort,
      done,
    });
    logger.info({ source: source.kind }, "camera started");
  }

  /** Camera status for the web UI ("up" / "down" / "refused", last frame time). Failures are logged, never fatal. */
  private async reportStatus(cameraId: string, up: boolean | "refused"): Promise<void> {
    await this.deps.db.camera
      .update({
        where: { id: cameraId },
        data: {
          status: up === "refused" ? "refused" : up ? "up" : "down",
          ...(up === true ? { lastSeenAt: new Date() } : {}),
        },
      })
      .catch((err: unknown) => this.deps.logger.warn({ err, cameraId }, "camera status not saved"));
  }

  /** Stores the calibration snapshot, faces pixelated (detected again, eagerly) before it leaves this process. */
  private async storeSnapshot(cameraId: string, frame: RgbFrame, faces: FramePxBox[]): Promise<void> {
    const snapshot = await blurredSnapshot(frame, this.deps.analyzer, faces);
    await this.deps.db.camera.update({ where: { id: cameraId }, data: { snapshot, snapshotAt: new Date() } });
  }

  private async stopCamera(id: string): Promise<void> {
    const c = this.cameras.get(id);
    if (!c) return;
    c.abort.abort();
    await c.done;
    this.cameras.delete(id);
  }

  /** Stops every camera (ending open visits so they are finalised), then the health server. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await Promise.all([...this.cameras.keys()].map((id) => this.stopCamera(id)));
  }

  /**
   * /healthz (JSON, 503 when a camera is down) and /metrics (Prometheus), on `host` (default 127.0.0.1: only
   * this machine). With `token`, both answer 401 unless the request carries `Authorization: Bearer <token>`.
   */
  listen(port: number, opts: { host?: string; token?: string } = {}): Server {
    const expected = opts.token ? createHash("sha256").update(opts.token).digest() : null;
    const authorised = (header: string | undefined) => {
      if (!expected) return true;
      const given = /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "";
      // Hashes have one length: the comparison takes the same time whatever was sent.
      return timingSafeEqual(createHash("sha256").update(given).digest(), expected);
    };
    const server = createServer((req, res) => {
      if (req.url !== "/healthz" && req.url !== "/metrics") return void res.writeHead(404).end();
      if (!authorised(req.headers.authorization))
        return void res.writeHead(401, { "www-authenticate": 'Bearer realm="camera-agent"' }).end();
      if (req.url === "/healthz") {
        const status = this.status();
        const ok = status.cameras.every((c) => c.up);
        res
          .writeHead(ok ? 200 : 503, { "content-type": "application/json" })
          .end(JSON.stringify({ ok, ...status }));
      } else {
        this.metrics.registry.metrics().then(
          (text) => res.writeHead(200, { "content-type": this.metrics.registry.contentType }).end(text),
          (err: unknown) => res.writeHead(500).end(String(err)),
        );
      }
    });
    server.listen(port, opts.host ?? "127.0.0.1");
    return server;
  }
}
