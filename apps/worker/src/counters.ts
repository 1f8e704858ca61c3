import type { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * What the workers count, with the Prometheus help text. Counters live in one Redis hash per prefix, so every
 * worker process adds to the same totals and any one of them (or a test) can read them.
 */
export const WORKER_METRICS = {
  shelf_worker_crops_stale_total: {
    type: "counter",
    help: "Crops dropped unread because they outlived their TTL",
  },
  shelf_worker_jobs_rejected_total: {
    type: "counter",
    help: "Jobs refused as bad input (labels: queue, reason), never retried",
  },
  shelf_worker_interactions_written_total: {
    type: "counter",
    help: "Interactions written (one tracked face at one shelf zone; retried visits count once)",
  },
  shelf_worker_visits_without_face_total: {
    type: "counter",
    help: "Visits that ended with no classifiable face: no interaction",
  },
  shelf_worker_visits_crops_dropped_total: {
    type: "counter",
    help: "Of the visits without a classifiable face: those whose crops the agent dropped (Redis link down, backlog cap)",
  },
  shelf_worker_edge_visits_total: {
    type: "counter",
    help: "Visit ends that carried the agent's own expression vectors (AGENT_CLASSIFY: no crop crossed the link)",
  },
  shelf_worker_visits_abandoned_total: {
    type: "counter",
    help: "Visits whose end never came (agent silent), finalised from the samples they had",
  },
  shelf_worker_db_unavailable_waits_total: {
    type: "counter",
    help: "Jobs put back to wait because PostgreSQL did not answer (retried until it does, up to DB_OUTAGE_MAX_MS)",
  },
  shelf_worker_db_unavailable_since_seconds: {
    type: "gauge",
    help: "When PostgreSQL stopped answering (unix seconds); 0 while it answers",
  },
  shelf_worker_db_outage_gave_up_total: {
    type: "counter",
    help: "Jobs failed because PostgreSQL stayed unreachable past DB_OUTAGE_MAX_MS",
  },
} as const;
export type WorkerMetric = keyof typeof WORKER_METRICS;

/** Shared counters (HINCRBY on `<prefix>:worker-metrics`); failures to count are logged, never thrown. */
export class WorkerCounters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  get key(): string {
    return `${this.prefix}:worker-metrics`;
  }

  inc(metric: WorkerMetric, labels: Record<string, string> = {}, by = 1): void {
    this.redis.hincrby(this.key, field(metric, labels), by).catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message, metric }, "metric not counted");
    });
  }

  set(metric: WorkerMetric, value: number, labels: Record<string, string> = {}): void {
    this.redis.hset(this.key, field(metric, labels), String(value)).catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message, metric }, "metric not set");
    });
  }

  /** Every series, keyed `name{label="value",…}` as in the Prometheus text format. */
  async read(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.key);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** The Prometheus text exposition of every series. */
  async render(): Promise<string> {
    const values = await this.read();
    const lines: string[] = [];
    for (const [name, { type, help }] of Object.entries(WORKER_METRICS)) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      const series = Object.entries(values).filter(([k]) => k === name || k.startsWith(`${name}{`));
      if (series.length === 0) lines.push(`${name} 0`);
      for (const [k, v] of series) lines.push(`${k} ${v}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

function field(metric: WorkerMetric, labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return metric;
  return `${metric}{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",")}}`;
}
