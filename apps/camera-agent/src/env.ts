import { z } from "zod";
import { parseEnv, parseIp, ZLocalSourceName, ZServiceEnv } from "@shelf/core";

/**
 * What a `local:<name>` source maps to on the agent's machine: an absolute video file path (or `file:/…`),
 * `v4l2:/dev/videoN` (USB camera) or `folder:/…[?keep=1]` (motion stills). Set by whoever runs the agent,
 * never by the web app.
 */
export const ZLocalSourceTarget = z
  .string()
  .regex(
    /^(\/|file:\/|v4l2:\/dev\/|folder:\/)[^\s]*$/,
    "an absolute path, file:/…, v4l2:/dev/… or folder:/…",
  );

/** AGENT_LOCAL_SOURCES: a JSON object of name → target, e.g. `{"entrance":"v4l2:/dev/video0"}`. */
export const ZLocalSources = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: "custom",
        message: 'must be a JSON object, e.g. {"entrance":"v4l2:/dev/video0"}',
      });
      return z.NEVER;
    }
  })
  .pipe(z.record(ZLocalSourceName, ZLocalSourceTarget));

const isLoopback = (host: string) => {
  if (host === "localhost") return true;
  const ip = parseIp(host);
  return ip !== null && (ip.version === 4 ? ip.value >> 24n === 127n : ip.value === 1n);
};

export const ZAgentEnv = ZServiceEnv.extend({
  /**
   * Address /healthz and /metrics listen on. Default 127.0.0.1 (this machine only); any other address needs
   * AGENT_METRICS_TOKEN.
   */
  AGENT_HOST: z.string().min(1).default("127.0.0.1"),
  /** Bearer token /healthz and /metrics then require (≥ 32 characters, e.g. `openssl rand -base64 32`). */
  AGENT_METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** Agent-side sources cameras may name as `local:<name>` (JSON object, see ZLocalSources). */
  AGENT_LOCAL_SOURCES: ZLocalSources.default({}),
  /** Opens camera passwords sealed by the web app: the web app's CAMERA_SECRET_KEY (base64, 32 bytes). */
  CAMERA_SECRET_KEY: z.string().min(40, "must be base64 of 32 bytes").optional(),
  /** Key file when CAMERA_SECRET_KEY is unset; default `.data/camera-secret.key` at the repository root. */
  CAMERA_SECRET_KEY_FILE: z.string().min(1).optional(),
  /** Store whose enabled cameras this agent runs (slug). */
  STORE_SLUG: z.string().min(1).default("demo"),
  /** Port for /healthz and /metrics. */
  AGENT_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** How often camera config is re-read for hot reload, ms. */
  CONFIG_POLL_MS: z.coerce.number().int().min(500).default(5000),
  /**
   * glibc's malloc arena limit. The agent does not use it: glibc reads it at process start, so whoever launches
   * the agent sets it (`npm start` sets 2). It is read here only to warn when it is missing: with glibc's default
   * (8 arenas per core) the threads that run sharp for the calibration snapshot each fragment an arena of their
   * own and the resident set keeps growing (bench:soak: +43 MB/h over an hour; `bench:detect-memory --frames 800
   * --snapshot-every 20`, 10th → 40th snapshot: 367 → 407 MB and still rising; with 2: 335 → 326 MB).
   */
  MALLOC_ARENA_MAX: z.coerce.number().int().min(1).optional(),
  /**
   * Face detector: `blazeface` (default: BlazeFace on ONNX Runtime, regions around followed faces and motion,
   * a full pyramid scan every 2 s; the packages/inference README has the measured table), `tiny` or `ssd`
   * (face-api's tfjs detectors, full frame every time: several times the CPU).
   */
  DETECTOR: z.enum(["blazeface", "tiny", "ssd"]).default("blazeface"),
  /** Tiny detector input size (long side, px, multiple of 32): about frame long side × 55 / smallest face px. */
  DETECTOR_INPUT_SIZE: z.coerce.number().int().min(128).max(2048).multipleOf(32).default(800),
  /** Crops sampled per second per track. */
  CROPS_PER_SECOND: z.coerce.number().min(0.1).max(30).default(2),
  /**
   * `1`: classification at the edge — the agent runs the expression model (ONNX, about 2 ms a face) and sends only
   * each visit's probability vectors, with its end: no pixels leave the store. `0` (default): sealed crops go to
   * the workers, which classify them.
   */
  AGENT_CLASSIFY: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
  /** Visit events held in memory while the link to Redis is down (oldest dropped first, counted). */
  AGENT_LINK_BUFFER_EVENTS: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  /** Bytes (JSON) those events may take, MiB. */
  AGENT_LINK_BUFFER_MB: z.coerce.number().min(1).max(1024).default(16),
}).refine((env) => isLoopback(env.AGENT_HOST) || env.AGENT_METRICS_TOKEN !== undefined, {
  path: ["AGENT_HOST"],
  message: "listening beyond this machine needs AGENT_METRICS_TOKEN (health and metrics must not be open)",
});
export type AgentEnv = z.infer<typeof ZAgentEnv>;

/** The only place the agent reads process.env. */
export function loadAgentEnv(source: Record<string, string | undefined> = process.env): AgentEnv {
  return parseEnv(ZAgentEnv, source);
}
