import { DEFAULT_QUEUE_PREFIX, DEFAULT_REDIS_URL } from "@shelf/core";
import { createDb, DEFAULT_DATABASE_URL, seedDemoChain } from "@shelf/db";
import { CONSENT_TEXT, DEFAULT_QUESTIONS } from "@shelf/survey-engine";
import { createTextAnalyzer } from "@shelf/survey-engine/text";
import { enqueueDemoRescores } from "./demo-rescore.ts";

// Seed script (npm run db:seed / prisma db seed): the demo chain (README, "Demo data"). Demo mode only:
// scripts/start.sh runs it in demo mode and never in production. Reads DATABASE_URL, REDIS_URL and
// QUEUE_PREFIX (the worker's), nothing else.
if (process.env.SHELF_MODE === "production")
  throw new Error("refusing to seed demo data: SHELF_MODE is production");
const db = createDb({ url: process.env.DATABASE_URL || DEFAULT_DATABASE_URL });
try {
  const result = await seedDemoChain(db, {
    analyzer: createTextAnalyzer(),
    questions: DEFAULT_QUESTIONS,
    consentVersion: CONSENT_TEXT.version,
  });
  const { counts, ms } = result;
  if (!result.created) {
    console.log(`Demo chain already seeded (${result.stores.length} stores): nothing added.`);
  } else {
    console.log(
      `Seeded the demo chain in ${(ms.total / 1000).toFixed(1)} s (generate ${(ms.generate / 1000).toFixed(1)} s, ` +
        `write ${(ms.write / 1000).toFixed(1)} s): ${result.stores.length} stores, ${counts.interactions} interactions, ` +
        `${counts.rollups} hourly rollups, ${counts.sales} daily sales rows, ${counts.responses} survey answers ` +
        `(${counts.invites} invites), ${result.from!.toISOString().slice(0, 10)} – ${result.to!.toISOString().slice(0, 10)}.`,
    );
    console.log(JSON.stringify({ demoSeed: { ...counts, ms: Math.round(ms.total) } }));
    const jobs = await enqueueDemoRescores({
      redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
      prefix: process.env.QUEUE_PREFIX || DEFAULT_QUEUE_PREFIX,
      storeIds: result.stores.map((s) => s.storeId),
      requestId: `demo-seed-${result.to!.getTime()}`,
    });
    console.log(`Queued ${jobs.length} rescore jobs: the worker scores every product and raises the flags.`);
  }
} finally {
  await db.$disconnect();
}
