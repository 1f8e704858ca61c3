/**
 * bench:pipeline — replays synthetic shopper visits (crops of the photos face-api ships) through Redis and
 * one in-process worker with the real expression model, and measures:
 * - classifications per second of one worker process (one core),
 * - latency from a visit's end event being enqueued to its interaction row, and to its item's score update.
 * Usage: npm run bench:pipeline -- [--visits 120] [--crops 4] [--rate 4 (visits/s)] [--json]
 * Uses its own database (shelf_bench next to DATABASE_URL) and a random Redis prefix, removed afterwards.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { pino } from "pino";
import { redisLayout } from "@shelf/core";
import { createDb, seedDemoStore } from "@shelf/db";
import { createFaceAnalyzer } from "@shelf/inference";
import { startWorkers } from "@shelf/worker";
import { BullJobSink } from "@shelf/camera-agent";
import { ROOT } from "../setup/env.ts";
import { demoCrops, scriptedVisits } from "../support/scripted-stream.ts";
import { obliterateQueues } from "../support/redis-layout.ts";
import { args, machine, percentile, printTable, round } from "./stats.ts";

const a = args();
const visitsN = a.get("visits", 120);
const cropsPer = a.get("crops", 4);
const rate = a.get("rate", 4);
const base = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/shelf";
const dbUrl = `${base.slice(0, base.lastIndexOf("/"))}/shelf_bench`;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `bench-${Math.random().toString(36).slice(2, 8)}`;
const logger = pino({ level: "silent" });
const log = (m: string) => !a.json && console.error(m);

execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma/migrate.mjs"), "deploy"], {
  env: { ...process.env, DATABASE_URL: dbUrl },
  stdio: "ignore",
});
const db = createDb({ url: dbUrl });
const { storeId, cameraId } = await seedDemoStore(db);
const slots = await db.planogramSlot.findMany({ where: { zone: { storeId } } });
const analyzer = createFaceAnalyzer();
await analyzer.load();
await analyzer.warmup();
const crops = await demoCrops(analyzer);
const visits = scriptedVisits({
  runId: prefix,
  storeId,
  cameraId,
  places: slots.map((s) => ({ zoneId: s.zoneId, itemId: s.itemId })),
  crops,
  visits: visitsN,
  cropsPerVisit: cropsPer,
});

const endEnqueued = new Map<string, number>();
const interactionAt = new Map<string, number>();
const interactionLatency: number[] = [];
const scoreLatency: number[] = [];
const pendingScore = new Map<string, number[]>(); // itemId → end-enqueue times of visits awaiting a score

const workers = startWorkers({ db, redisUrl, prefix, analyzer, logger, finaliseWaitMs: 30_000 });
workers.onInteraction((_id, context) => {
  const t = performance.now();
  interactionAt.set(context.trackKey, t);
  const enq = endEnqueued.get(context.trackKey);
  if (enq !== undefined) interactionLatency.push(t - enq);
  if (context.itemId)
    pendingScore.set(context.itemId, [...(pendingScore.get(context.itemId) ?? []), enq ?? t]);
});
workers.onScore((_s, itemId) => {
  const t = performance.now();
  for (const enq of pendingScore.get(itemId) ?? []) scoreLatency.push(t - enq);
  pendingScore.delete(itemId);
});

const sink = new BullJobSink(redisUrl, redisLayout(prefix).store(storeId), logger);
await new Promise((r) => setTimeout(r, 500));
log(`replaying ${visitsN} visits × ${cropsPer} crops at ${rate} visits/s …`);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
// A visit's crops arrive while the shopper stands there; its end event when they leave.
for (const [i, v] of visits.entries()) {
  const due = t0 + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  for (const c of v.crops) await sink.crop(c);
  endEnqueued.set(v.context.trackKey, performance.now());
  await sink.track(v.end);
}
const deadline = performance.now() + 120_000;
while (interactionAt.size < visits.length && performance.now() < deadline)
  await new Promise((r) => setTimeout(r, 50));
const wall = (performance.now() - t0) / 1000;
const written = interactionAt.size;
const backend = analyzer.backend;
await new Promise((r) => setTimeout(r, 1500)); // last debounced score updates
const cpu = process.cpuUsage(cpu0);

// Throughput without pacing: a backlog of crops classified as fast as one process can.
const burst = scriptedVisits({
  runId: `${prefix}-burst`,
  storeId,
  cameraId,
  places: slots.map((s) => ({ zoneId: s.zoneId, itemId: s.itemId })),
  crops,
  visits: 60,
  cropsPerVisit: 8,
});
const burstDone = new Set<string>();
workers.onInteraction((_id, c) => burstDone.add(c.trackKey));
const tb = performance.now();
for (const v of burst) for (const c of v.crops) await sink.crop(c);
for (const v of burst) await sink.track(v.end);
while (burst.some((v) => !burstDone.has(v.context.trackKey)) && performance.now() - tb < 120_000)
  await new Promise((r) => setTimeout(r, 20));
const burstSeconds = (performance.now() - tb) / 1000;
const burstCrops = burst.length * 8;

await sink.close();
await workers.close();
await obliterateQueues(redisUrl, prefix, [storeId]);
await analyzer.dispose();
await db.$disconnect();

const result = {
  machine: { ...machine(), backend },
  replay: {
    visits: visits.length,
    cropsPerVisit: cropsPer,
    rateVisitsPerS: rate,
    written,
    wallS: round(wall),
    workerCpuCores: round((cpu.user + cpu.system) / 1e6 / wall),
  },
  latencyMs: {
    endToInteractionP50: round(percentile(interactionLatency, 50)),
    endToInteractionP95: round(percentile(interactionLatency, 95)),
    endToScoreP50: round(percentile(scoreLatency, 50)),
    endToScoreP95: round(percentile(scoreLatency, 95)),
  },
  throughput: {
    crops: burstCrops,
    seconds: round(burstSeconds),
    classificationsPerSecondPerProcess: round(burstCrops / burstSeconds, 1),
  },
};
if (written < visits.length) {
  console.error(`only ${written} of ${visits.length} interactions were written`);
  process.exitCode = 1;
}

if (a.json) console.log(JSON.stringify(result, null, 2));
else {
  printTable(
    `bench:pipeline — ${result.machine.cpus} cores, ${result.machine.cpuModel}, ${result.machine.backend}`,
    [
      ["visits replayed", `${visits.length} × ${cropsPer} crops at ${rate}/s`],
      ["interactions written", written],
      ["end → interaction p50 (ms)", result.latencyMs.endToInteractionP50],
      ["end → interaction p95 (ms)", result.latencyMs.endToInteractionP95],
      ["end → score update p50 (ms)", result.latencyMs.endToScoreP50],
      ["end → score update p95 (ms)", result.latencyMs.endToScoreP95],
      ["classifications/s, one process", result.throughput.classificationsPerSecondPerProcess],
      ["worker CPU while replaying (cores)", result.replay.workerCpuCores],
    ],
  );
}
process.exit();
