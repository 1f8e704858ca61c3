import { z } from "zod";
import { parseEnv, ZServiceEnv } from "@shelf/core";

export const ZAgentEnv = ZServiceEnv.extend({
  /** Store whose enabled cameras this agent runs (slug). */
  STORE_SLUG: z.string().min(1).default("demo"),
  /** Port for /healthz and /metrics. */
  AGENT_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** How often camera config is re-read for hot reload, ms. */
  CONFIG_POLL_MS: z.coerce.number().int().min(500).default(5000),
  /**
   * Face detector: `tiny` (default; 100 % recall on the face-boxes photos at 800 px, ~2× faster) or `ssd`
   * (SsdMobilenetv1; finds far more faces on dithered/low-quality footage such as the store-video GIFs).
   */
  DETECTOR: z.enum(["tiny", "ssd"]).default("tiny"),
  /** Tiny detector input size (long side, px, multiple of 32): about frame long side × 55 / smallest face px. */
  DETECTOR_INPUT_SIZE: z.coerce.number().int().min(128).max(2048).multipleOf(32).default(800),
  /** Crops sampled per second per track. */
  CROPS_PER_SECOND: z.coerce.number().min(0.1).max(30).default(2),
});
export type AgentEnv = z.infer<typeof ZAgentEnv>;

/** The only place the agent reads process.env. */
export function loadAgentEnv(source: Record<string, string | undefined> = process.env): AgentEnv {
  return parseEnv(ZAgentEnv, source);
}
