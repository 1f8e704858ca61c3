import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export * from "./generated/prisma/client.ts";
export { DEFAULT_DATABASE_URL } from "./defaults.ts";

export interface CreateDbOptions {
  /** postgresql:// URL. */
  url: string;
  /** Pool size per process (default 5: a worker process runs one job batch at a time). */
  poolMax?: number;
}

/**
 * Creates a Prisma client on the pg driver adapter. One per process; call `$disconnect()` on shutdown.
 * Callers pass the URL from their own zod-validated env module (process.env is read nowhere here).
 */
export function createDb({ url, poolMax = 5 }: CreateDbOptions): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: poolMax });
  return new PrismaClient({ adapter });
}

export type Db = PrismaClient;
export { seedDemoStore, DEMO, demoZones } from "./demo-seed.ts";
export {
  seedDemoChain,
  isDemoChainSeeded,
  DEMO_SEED_ACTION,
  type DemoChainOptions,
  type DemoChainResult,
  type DemoTextAnalyzer,
} from "./demo/seed-chain.ts";
export { DEMO_PRODUCTS, DEMO_STORES, DEMO_STORY } from "./demo/catalogue.ts";
export { createOpenFlag, isUniqueViolation, OPEN_FLAG_INDEX } from "./flags.ts";
export {
  AUDIT_RETENTION_DAYS,
  deleteExpiredData,
  DEFAULT_RETENTION_DAYS,
  ROLLUP_HOURLY_DAYS,
  SNAPSHOT_RETENTION_DAYS,
  UNUSED_INVITE_DAYS,
  type RetentionOptions,
  type RetentionResult,
} from "./retention.ts";
export {
  dropInteractionPartitionsBefore,
  ensureInteractionPartitions,
  INTERACTION_PARTITIONS_AHEAD,
  listInteractionPartitions,
  partitionName,
  type DroppedPartition,
  type EnsurePartitionsResult,
  type InteractionPartition,
} from "./partitions.ts";
export {
  rebuildDailyRollups,
  rebuildRollupsFromHours,
  rebuildStoreHourlyRollups,
  subtractZoneFromStoreHourlyRollups,
} from "./rollups.ts";
export { itemExpressionGroups, openFlag, scoredItemIds, storeThresholds } from "./scoring.ts";
export { storeRules, storeRulesByStore } from "./store-rules.ts";
export { surveyActivity } from "./surveys.ts";
export {
  CameraSecretError,
  defaultCameraSecretKeyFile,
  loadCameraSecretKey,
  openSecret,
  sealPlaintextCameraCredentials,
  sealSecret,
} from "./camera-secrets.ts";
export {
  isSealedWebhookSecret,
  openWebhookSecret,
  sealPlaintextWebhookSecret,
  sealWebhookSecret,
} from "./webhook-secrets.ts";
