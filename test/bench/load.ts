/**
 * bench:load — N stores × M cameras of shopper visits played in real time into the real queues, against real
 * worker processes (apps/worker/src/main.ts, WORKER_PROCESSES = 1, then 2, then 4 by default), and measured:
 * - offered load: visits/s and crops/s actually sent (one BullMQ producer per store, as one agent per store),
 * - throughput: interactions/s written and crops/s classified while the load runs,
 * - latency from a visit's end event being enqueued to its interaction (the worker's live event, published
 *   right after the row's transaction commits) and to its item's score update (the scoring job completing),
 * - Redis used_memory, sampled every second (peak), on a private redis-server configured as production
 *   (AOF everysec, noeviction; `--redis-url` to use another one, whose figure then includes its other keys),
 * - PostgreSQL writes: tup_inserted / tup_updated of the bench database (pg_stat_database) per second.
 *
 * The visit stream is generated, not decoded: per camera a seeded Poisson stream of visits (mean gap
 * `--visit-every` s, dwell 2–6 s, `--crops-per-second` crops per visit-second at one of the store's shelf
 * places), i.e. what an agent sends — track start, sealed crops, track end — without running a detector. Crops
 * must carry pixels for the worker to classify: they are the face crops of the photos face-api ships (64 × 64
 * grey, the ones bench:pipeline uses), cut once in memory at start-up; nothing is written to disk.
 *
 * `--edge`: classification in the agent (AGENT_CLASSIFY): each visit end carries its expression vectors (seeded
 * random probabilities, one per crop the agent would have sent) and no crop is sent — no pixels at all.
 *
 * Each step starts fresh workers on a fresh Redis prefix (and empties a private Redis), plays the load for
 * `--duration` seconds, then waits up to `--drain` seconds for the last interactions. Crops "used" per second
 * are the crops (or vectors) of the visits whose interaction was written in the load window.
 * Keys follow the services' layout (`redisLayout`): each store's producer on its own store prefix.
 *
 * Usage: npm run bench:load -- [--stores 20] [--cameras 2] [--duration 60] [--workers 1,2,4]
 *          [--visit-every 5] [--crops-per-second 2] [--drain 120] [--edge] [--redis-url redis://…] [--json]
 * Database: shelf_test_load next to DATABASE_URL (dropped and migrated at start).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import {
  interactionId,
  liveChannelPattern,
  parseLiveEvent,
  QUEUES,
  redisKeys,
  redisLayout,
  seededRandom,
  type ClassifiedSample,
  type CropJob,
  type TrackContext,
} from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { createFaceAnalyzer } from "@shelf/inference";
import { BullJobSink } from "@shelf/camera-agent";
import { ROOT } from "../setup/env.ts";
import { spawnWorker, startPrivateRedis, until } from "../support/processes.ts";
import { demoCrops } from "../support/scripted-stream.ts";
import { args, machine, percentile, printTable, round } from "./stats.ts";

const argv = process.argv.slice(2);
const a = args(argv);
const opts = {
  stores: a.get("stores", 20),
  cameras: a.get("cameras", 2),
  durationS: a.get("duration", 60),
  visitEveryS: a.get("visit-every", 5),
  cropsPerSecond: a.get("crops-per-second", 2),
  drainS: a.get("drain", 120),
  workers: listArg("workers", [1, 2, 4]),
  /** Classification at the edge: visit ends carry expression vectors, no crop leaves the store. */
  edge: argv.includes("--edge"),
};
/** Progress goes to stderr (stdout holds only the table or the JSON). */
const log = (m: string) => console.error(m);
const logger = pino({ level: "silent" });

function listArg(name: string, def: number[]): number[] {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const list = (argv[i + 1] ?? "").split(",").map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 64))
    throw new Error(`--${name} needs a list of process counts such as 1,2,4, got "${argv[i + 1]}"`);
  return list;
}

function stringArg(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ───────────────────────── the chain ─────────────────────────

interface Place {
  zoneId: string;
  itemId: string;
}
interface BenchStore {
  storeId: string;
  cameraIds: string[];
  places: Place[];
}

const ZONES_PER_STORE = 4;
const ITEMS_PER_ZONE = 3;

/** N stores, each with M cameras and 4 shelf zones of 3 products (products shared by the chain). */
async function seedChain(db: Db): Promise<BenchStore[]> {
  const items: string[] = [];
  for (let i = 0; i < ZONES_PER_STORE * ITEMS_PER_ZONE; i++) {
    const item = await db.item.create({
      data: { sku: `LOAD-${i}`, name: `Load product ${i}`, category: `Aisle ${Math.floor(i / 3)}` },
    });
    items.push(item.id);
  }
  const stores: BenchStore[] = [];
  for (let s = 0; s < opts.stores; s++) {
    const store = await db.store.create({
      data: { slug: `load-${s}`, name: `Load store ${s}`, timezone: "UTC", settings: { create: {} } },
    });
    const plan = await db.floorPlan.create({
      data: { storeId: store.id, name: "Ground floor", widthM: 12, heightM: 8 },
    });
    const cameraIds: string[] = [];
    for (let c = 0; c < opts.cameras; c++) {
      const camera = await db.camera.create({
        data: {
          storeId: store.id,
          floorPlanId: plan.id,
          name: `Aisle ${c}`,
          sourceUrl: `local:aisle-${c}`,
          widthPx: 854,
          heightPx: 480,
        },
      });
      cameraIds.push(camera.id);
    }
    const places: Place[] = [];
    for (let z = 0; z < ZONES_PER_STORE; z++) {
      const zone = await db.shelfZone.create({
        data: {
          storeId: store.id,
          floorPlanId: plan.id,
          name: `Bay ${z}`,
          polygon: [
            { x: 3 * z, y: 3.5 },
            { x: 3 * z + 3, y: 3.5 },
            { x: 3 * z + 3, y: 7 },
            { x: 3 * z, y: 7 },
          ],
        },
      });
      for (let k = 0; k < ITEMS_PER_ZONE; k++) {
        const itemId = items[z * ITEMS_PER_ZONE + k]!;
        await db.planogramSlot.create({
          data: { zoneId: zone.id, itemId, start: k / ITEMS_PER_ZONE, end: (k + 1) / ITEMS_PER_ZONE },
        });
        places.push({ zoneId: zone.id, itemId });
      }
    }
    stores.push({ storeId: store.id, cameraIds, places });
  }
  return stores;
}

// ───────────────────────── the visit stream ─────────────────────────

type StreamEvent =
  | { at: number; kind: "start"; context: TrackContext }
  | { at: number; kind: "crop"; context: TrackContext; capturedAt: number; crop: number }
  | {
      at: number;
      kind: "end";
      context: TrackContext;
      startedAt: number;
      endedAt: number;
      /** The visit's expression vectors (edge classification), one per crop the agent took. */
      samples: ClassifiedSample[];
    };

/**
 * One store's events over `durationS`, in time order (`at`: ms after the step's start). Deterministic for a
 * given run id and store index: a visit per camera every `visitEveryS` on average (exponential gaps), 2–6 s
 * long, `cropsPerSecond` crops per second of it.
 */
function storeStream(
  runId: string,
  index: number,
  store: BenchStore,
  t0: number,
  crops: number,
): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const [c, cameraId] of store.cameraIds.entries()) {
    const rnd = seededRandom(index * 1009 + c * 7919 + 17);
    let t = -Math.log(1 - rnd()) * opts.visitEveryS * 1000;
    for (let v = 0; t < opts.durationS * 1000; v++) {
      const dwell = 2000 + rnd() * 4000;
      const place = store.places[Math.floor(rnd() * store.places.length)]!;
      const context: TrackContext = {
        storeId: store.storeId,
        cameraId,
        zoneId: place.zoneId,
        itemId: place.itemId,
        trackKey: `${runId}:${index}:${c}:${v}`,
        calibrationVersion: 1,
      };
      const startedAt = Math.round(t0 + t);
      events.push({ at: t, kind: "start", context });
      const n = Math.max(1, Math.round((dwell / 1000) * opts.cropsPerSecond));
      const samples: ClassifiedSample[] = [];
      for (let k = 0; k < n; k++) {
        const at = t + (k * dwell) / n;
        const capturedAt = Math.round(t0 + at);
        if (opts.edge) samples.push({ capturedAt, probs: randomProbs(rnd) });
        else events.push({ at, kind: "crop", context, capturedAt, crop: Math.floor(rnd() * crops) });
      }
      events.push({
        at: t + dwell,
        kind: "end",
        context,
        startedAt,
        endedAt: Math.round(t0 + t + dwell),
        samples,
      });
      t += dwell / 4 + -Math.log(1 - rnd()) * opts.visitEveryS * 1000;
    }
  }
  return events.sort((x, y) => x.at - y.at);
}

/** An expression vector as the agent's model would give it: 7 probabilities summing to 1. */
function randomProbs(rnd: () => number): ClassifiedSample["probs"] {
  const raw = Array.from({ length: 7 }, () => rnd() ** 3);
  const sum = raw.reduce((x, y) => x + y, 0);
  const probs = raw.map((v) => v / sum);
  probs[6] = Math.max(0, 1 - probs.slice(0, 6).reduce((x, y) => x + y, 0));
  return probs as unknown as ClassifiedSample["probs"];
}

// ───────────────────────── measurements ─────────────────────────

async function pgWrites(db: Db): Promise<{ inserted: number; updated: number; at: number }> {
  const [row] = await db.$queryRaw<{ ins: bigint; upd: bigint }[]>`
    SELECT tup_inserted AS ins, tup_updated AS upd FROM pg_stat_database WHERE datname = current_database()`;
  return { inserted: Number(row!.ins), updated: Number(row!.upd), at: performance.now() };
}

/** Deletes every key of a random bench prefix (`--redis-url`: a shared server keeps the others' keys). */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `*${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

const TICK_S = 0.01; // /proc stat clock ticks (USER_HZ = 100)

/** CPU seconds (user + system) of a process and all its descendants alive now (the worker supervisor's tree). */
function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) * TICK_S);
    } catch {
      // exited meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++)
      if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, s] of cpu) if (inTree(pid)) total += s;
  return total;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

interface StepResult {
  workers: number;
  loadAvgStart: number[];
  loadAvgEnd: number[];
  offered: {
    /** Over the time the generator took to send them (longer than --duration when it fell behind). */
    visitsPerS: number;
    cropsPerS: number;
    /** Expression vectors per second in visit ends (`--edge`; 0 otherwise). */
    vectorsPerS: number;
    visits: number;
    crops: number;
    cropsRefused: number;
    /** How far the generator fell behind its schedule at worst, ms (a busy box delays the producers too). */
    generatorLagMaxMs: number;
  };
  throughput: {
    interactionsPerS: number;
    classificationsPerS: number;
    interactions: number;
    expected: number;
    /** Crops classified in the whole step, drain included. */
    classifications: number;
    drainS: number;
  };
  latencyMs: {
    endToInteractionP50: number;
    endToInteractionP95: number;
    endToScoreP50: number;
    endToScoreP95: number;
  };
  redis: { usedMemoryBaselineMB: number; usedMemoryPeakMB: number };
  /**
   * CPU the worker processes used from the start of the load to the last interaction: the figure that holds on a
   * busy shared machine, where throughput and latency measure the neighbours as much as the workers.
   */
  workerCpu: {
    seconds: number;
    /** Cores busy on average. */
    cores: number;
    msPerInteraction: number;
    /** Per crop (or vector) used; its inverse is what one core sustains. */
    msPerCrop: number;
    cropsPerCoreSecond: number;
  };
  postgres: { rowsInsertedPerS: number; rowsUpdatedPerS: number };
}

async function runStep(
  n: number,
  ctx: { db: Db; dbUrl: string; redisUrl: string; chain: BenchStore[]; crops: string[]; private: boolean },
): Promise<StepResult> {
  const prefix = `load-${Math.random().toString(36).slice(2, 8)}`;
  // Where each key lives (agent queues per store, central queues, live channels): the layout the services use.
  const layout = redisLayout(prefix);
  const storePrefix = (storeId: string) => layout.store(storeId);
  const redis = new Redis(ctx.redisUrl);
  if (ctx.private) await redis.flushall();
  const baseline = await usedMemory(redis);
  const loadAvgStart = os.loadavg().map((l) => round(l));

  log(`\n[${n} worker process${n > 1 ? "es" : ""}] starting on prefix ${prefix} …`);
  const worker = spawnWorker({
    DATABASE_URL: ctx.dbUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: prefix,
    WORKER_PROCESSES: String(n),
    WORKER_METRICS_PORT: "0",
  });
  const exited = new Promise<void>((r) => worker.once("exit", () => r()));
  // Each worker process registers its crop key where each store's agent reads it; an agent seals crops only for
  // the processes it knows, so the load starts once every store knows all n.
  await until(
    async () => {
      for (const s of ctx.chain)
        if ((await redis.hlen(redisKeys.cropRecipients(storePrefix(s.storeId)))) < n) return false;
      return true;
    },
    180_000,
    `${n} worker processes to register (output: ${worker.output().slice(-500)})`,
  );

  const endAt = new Map<string, { t: number; itemKey: string; crops: number }>();
  const interactionLatency: number[] = [];
  const scoreLatency: number[] = [];
  const pendingScore = new Map<string, number[]>(); // store|item → end-enqueue times awaiting a score
  let loadEnd = Number.POSITIVE_INFINITY;
  let interactionsInWindow = 0;
  // Crops (or edge vectors) of the visits whose interaction was written: what was classified and used.
  let classified = 0;
  let classifiedInWindow = 0;
  let interactions = 0;
  let lastInteractionAt = 0;

  const sub = new Redis(ctx.redisUrl);
  sub.on("pmessage", (_p, _ch, message) => {
    const e = parseLiveEvent(message);
    if (e?.kind !== "interaction") return;
    const t = performance.now();
    const visit = endAt.get(e.interactionId);
    if (!visit) return;
    endAt.delete(e.interactionId);
    interactions++;
    lastInteractionAt = t;
    if (t <= loadEnd) {
      interactionsInWindow++;
      classifiedInWindow += visit.crops;
    }
    classified += visit.crops;
    interactionLatency.push(t - visit.t);
    pendingScore.set(visit.itemKey, [...(pendingScore.get(visit.itemKey) ?? []), visit.t]);
  });
  await sub.psubscribe(liveChannelPattern(layout.base));

  const central = { connection: { url: ctx.redisUrl }, prefix: layout.central };
  const scoring = new Queue(QUEUES.scoring, central);
  const scoringEvents = new QueueEvents(QUEUES.scoring, central);
  scoringEvents.on("completed", ({ jobId }) => {
    const t = performance.now();
    void scoring.getJob(jobId).then((job) => {
      if (!job) return;
      const key = `${job.data.storeId}|${job.data.itemId}`;
      for (const enq of pendingScore.get(key) ?? []) scoreLatency.push(t - enq);
      pendingScore.delete(key);
    });
  });
  await scoringEvents.waitUntilReady();

  let peak = baseline;
  const sampler = setInterval(() => {
    void usedMemory(redis).then((m) => (peak = Math.max(peak, m)));
  }, 1000);

  // One producer per store, as one agent per store, each confined to its store's prefix.
  const sinks = ctx.chain.map((s) => new BullJobSink(ctx.redisUrl, storePrefix(s.storeId), logger));
  await sleep(500);
  const pg0 = await pgWrites(ctx.db);
  const cpu0 = treeCpuSeconds(worker.pid!);
  const t0 = performance.now();
  const epoch0 = Date.now();
  loadEnd = t0 + opts.durationS * 1000;
  let visits = 0;
  let cropsSent = 0;
  let cropsRefused = 0;
  let vectorsSent = 0;
  let lagMax = 0;
  log(`  playing ${ctx.chain.length} stores × ${opts.cameras} cameras for ${opts.durationS} s …`);
  await Promise.all(
    ctx.chain.map(async (store, i) => {
      const sink = sinks[i]!;
      const sent = new Map<string, number>();
      for (const e of storeStream(prefix, i, store, epoch0, ctx.crops.length)) {
        const wait = t0 + e.at - performance.now();
        if (wait > 1) await sleep(wait);
        else lagMax = Math.max(lagMax, -wait);
        if (e.kind === "start") {
          await sink.track({ type: "start", context: e.context, at: Math.round(epoch0 + e.at) });
        } else if (e.kind === "crop") {
          const job: CropJob = {
            context: e.context,
            capturedAt: e.capturedAt,
            box: { x: 10, y: 10, w: 80, h: 80 },
            detectionScore: 0.9,
            crop: { width: 64, height: 64, channels: 1, data: ctx.crops[e.crop]! },
          };
          if (await sink.crop(job)) {
            cropsSent++;
            sent.set(e.context.trackKey, (sent.get(e.context.trackKey) ?? 0) + 1);
          } else cropsRefused++;
        } else {
          const cropsOfVisit = sent.get(e.context.trackKey) ?? 0;
          sent.delete(e.context.trackKey);
          visits++;
          vectorsSent += e.samples.length;
          const used = opts.edge ? e.samples.length : cropsOfVisit;
          if (used > 0)
            endAt.set(interactionId({ ...e.context, startedAt: e.startedAt }), {
              t: performance.now(),
              itemKey: `${e.context.storeId}|${e.context.itemId}`,
              crops: used,
            });
          await sink.track({
            type: "end",
            context: e.context,
            startedAt: e.startedAt,
            endedAt: e.endedAt,
            cropsSent: cropsOfVisit,
            ...(opts.edge ? { samples: e.samples } : {}),
          });
        }
      }
    }),
  );
  const playedS = (performance.now() - t0) / 1000;
  const expected = endAt.size + interactions;
  log(`  played in ${round(playedS, 1)} s; draining (${endAt.size} visits still open) …`);
  const drainStart = performance.now();
  while (endAt.size > 0 && performance.now() - drainStart < opts.drainS * 1000) await sleep(100);
  await sleep(1500); // the last debounced score updates (500 ms debounce)
  const workerCpuS = treeCpuSeconds(worker.pid!) - cpu0;
  clearInterval(sampler);
  peak = Math.max(peak, await usedMemory(redis));
  const loadAvgEnd = os.loadavg().map((l) => round(l));
  const busyS = (Math.max(lastInteractionAt, loadEnd) - t0) / 1000;

  for (const s of sinks) await s.close();
  worker.kill("SIGTERM");
  await Promise.race([exited, sleep(30_000)]);
  if (worker.exitCode === null) worker.kill("SIGKILL");
  // Read after the workers' connections closed: a backend flushes its counters when it exits (an idle one
  // may hold them for up to 10 s), so the delta is complete.
  const pg1 = await pgWrites(ctx.db);
  await Promise.all([sub.quit(), scoringEvents.close(), scoring.close()]);
  if (ctx.private) await redis.flushall();
  else await deleteKeys(redis, prefix);
  await redis.quit();
  if (endAt.size > 0) log(`  ${endAt.size} of ${expected} interactions never arrived`);

  const MB = 1024 * 1024;
  return {
    workers: n,
    loadAvgStart,
    loadAvgEnd,
    offered: {
      visitsPerS: round(visits / playedS, 1),
      cropsPerS: round(cropsSent / playedS, 1),
      vectorsPerS: round(vectorsSent / playedS, 1),
      visits,
      crops: cropsSent,
      cropsRefused,
      generatorLagMaxMs: round(lagMax),
    },
    throughput: {
      interactionsPerS: round(interactionsInWindow / opts.durationS, 1),
      classificationsPerS: round(classifiedInWindow / opts.durationS, 1),
      interactions,
      expected,
      classifications: classified,
      drainS: round(Math.max(0, lastInteractionAt - loadEnd) / 1000, 1),
    },
    latencyMs: {
      endToInteractionP50: round(percentile(interactionLatency, 50)),
      endToInteractionP95: round(percentile(interactionLatency, 95)),
      endToScoreP50: round(percentile(scoreLatency, 50)),
      endToScoreP95: round(percentile(scoreLatency, 95)),
    },
    redis: { usedMemoryBaselineMB: round(baseline / MB, 1), usedMemoryPeakMB: round(peak / MB, 1) },
    workerCpu: {
      seconds: round(workerCpuS, 1),
      cores: round(workerCpuS / busyS),
      msPerInteraction: round((workerCpuS * 1000) / interactions),
      msPerCrop: round((workerCpuS * 1000) / classified),
      cropsPerCoreSecond: round(classified / workerCpuS, 1),
    },
    postgres: {
      rowsInsertedPerS: round((pg1.inserted - pg0.inserted) / busyS, 1),
      rowsUpdatedPerS: round((pg1.updated - pg0.updated) / busyS, 1),
    },
  };
}

// ───────────────────────── main ─────────────────────────

const base = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/shelf";
const dbUrl = `${base.slice(0, base.lastIndexOf("/"))}/shelf_test_load`;
execFileSync(process.execPath, [path.join(ROOT, "scripts/drop-database.mjs"), dbUrl], { stdio: "ignore" });
execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma/migrate.mjs"), "deploy"], {
  env: { ...process.env, DATABASE_URL: dbUrl },
  stdio: "ignore",
});
const db = createDb({ url: dbUrl, poolMax: 2 });
const redisArg = stringArg("redis-url");
const privateRedis = redisArg ? null : await startPrivateRedis();
const redisUrl = redisArg ?? privateRedis!.url;

log(`seeding ${opts.stores} stores × ${opts.cameras} cameras …`);
const chain = await seedChain(db);
// Face crops in memory only (the detector and model are released before the load starts); --edge sends none.
const crops = opts.edge ? [] : await faceCrops();
async function faceCrops(): Promise<string[]> {
  const analyzer = createFaceAnalyzer();
  await analyzer.load();
  const cut = (await demoCrops(analyzer))
    .filter((c) => c.width === 64 && c.height === 64 && c.channels === 1)
    .map((c) => Buffer.from(c.data).toString("base64"));
  await analyzer.dispose();
  if (cut.length === 0) throw new Error("no demo face crops could be cut");
  return cut;
}

const steps: StepResult[] = [];
try {
  for (const n of opts.workers)
    steps.push(await runStep(n, { db, dbUrl, redisUrl, chain, crops, private: privateRedis !== null }));
} finally {
  await db.$disconnect();
  await privateRedis?.stop();
}

const result = {
  machine: machine(),
  options: { ...opts, redis: privateRedis ? "private redis-server (AOF everysec, noeviction)" : redisUrl },
  steps,
};
const incomplete = steps.filter((s) => s.throughput.interactions < s.throughput.expected);
if (incomplete.length > 0) process.exitCode = 1;

if (a.json) console.log(JSON.stringify(result, null, 2));
else {
  const cols = (f: (s: StepResult) => string | number): string =>
    steps.map((s) => String(f(s)).padStart(14)).join("");
  printTable(
    `bench:load — ${opts.stores} stores × ${opts.cameras} cameras, ${opts.durationS} s per step, ${result.machine.cpus} cores, ${result.machine.cpuModel}`,
    [
      ["worker processes", cols((s) => s.workers)],
      ["load average (1 min) at start/end", cols((s) => `${s.loadAvgStart[0]}/${s.loadAvgEnd[0]}`)],
      ["offered visits/s", cols((s) => s.offered.visitsPerS)],
      ["offered crops/s", cols((s) => s.offered.cropsPerS)],
      ["offered expression vectors/s (--edge)", cols((s) => s.offered.vectorsPerS)],
      ["crops refused (backlog cap)", cols((s) => s.offered.cropsRefused)],
      ["interactions/s written", cols((s) => s.throughput.interactionsPerS)],
      ["crops (--edge: vectors) used/s", cols((s) => s.throughput.classificationsPerS)],
      [
        "interactions written / expected",
        cols((s) => `${s.throughput.interactions}/${s.throughput.expected}`),
      ],
      ["drain after the load (s)", cols((s) => s.throughput.drainS)],
      ["visit end → interaction p50 (ms)", cols((s) => s.latencyMs.endToInteractionP50)],
      ["visit end → interaction p95 (ms)", cols((s) => s.latencyMs.endToInteractionP95)],
      ["visit end → score p50 (ms)", cols((s) => s.latencyMs.endToScoreP50)],
      ["visit end → score p95 (ms)", cols((s) => s.latencyMs.endToScoreP95)],
      ["worker CPU (cores busy)", cols((s) => s.workerCpu.cores)],
      ["worker CPU per interaction (ms)", cols((s) => s.workerCpu.msPerInteraction)],
      ["worker CPU per crop/vector (ms)", cols((s) => s.workerCpu.msPerCrop)],
      ["crops/vectors per worker core-second", cols((s) => s.workerCpu.cropsPerCoreSecond)],
      [
        "Redis used_memory peak (MB)",
        cols((s) => `${s.redis.usedMemoryPeakMB} (${s.redis.usedMemoryBaselineMB})`),
      ],
      ["Postgres rows inserted/s", cols((s) => s.postgres.rowsInsertedPerS)],
      ["Postgres rows updated/s", cols((s) => s.postgres.rowsUpdatedPerS)],
      ["generator behind schedule, max (ms)", cols((s) => s.offered.generatorLagMaxMs)],
    ],
  );
  console.log("  (Redis: peak, in brackets the empty server's baseline)");
}
process.exit();
