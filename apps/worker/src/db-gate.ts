import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "pino";
import type { Db } from "@shelf/db";
import type { WorkerCounters } from "./counters.ts";

export interface DbGateOptions {
  /** First wait of a job while PostgreSQL does not answer, ms. Default 1 000. */
  retryMinMs?: number;
  /** Longest wait between two tries, ms. Default 30 000. */
  retryMaxMs?: number;
  /**
   * A job keeps waiting for PostgreSQL until it is this old, ms (a visit is still worth writing hours later;
   * past this, the job fails as any other). Default 6 h.
   */
  outageMaxMs?: number;
  /** How long the liveness probe may take, ms. Default 3 000. */
  probeTimeoutMs?: number;
}

/**
 * Keeps database outages from using up a job's attempts. When a step fails and PostgreSQL does not answer a
 * `SELECT 1`, the job is put back (delayed, no attempt consumed) with a wait that grows with the outage, and
 * the outage shows in the metrics (`shelf_worker_db_unavailable_*`) and the log (one line when it starts, one
 * when it ends). A failure while the database answers is a real failure: thrown for BullMQ's usual retries.
 */
export class DbGate {
  private downSince: number | null = null;
  private readonly min: number;
  private readonly max: number;
  private readonly outageMaxMs: number;

  constructor(
    private readonly db: Db,
    private readonly counters: WorkerCounters,
    private readonly logger: Logger,
    private readonly options: DbGateOptions = {},
  ) {
    this.min = options.retryMinMs ?? 1_000;
    this.max = Math.max(this.min, options.retryMaxMs ?? 30_000);
    this.outageMaxMs = options.outageMaxMs ?? 6 * 3_600_000;
  }

  /** Runs `step` for `job`; if it fails because PostgreSQL is unreachable, the job waits for it. */
  async run<T>(job: Job, token: string | undefined, step: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await step();
    } catch (err) {
      if (err instanceof UnrecoverableError || err instanceof DelayedError || (await this.answers()))
        throw err;
      return this.wait(job, token, err as Error);
    }
    if (this.downSince !== null) this.up();
    return result;
  }

  private async answers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.$queryRaw`SELECT 1`,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error("probe timed out")),
            this.options.probeTimeoutMs ?? 3_000,
          );
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async wait(job: Job, token: string | undefined, err: Error): Promise<never> {
    const now = Date.now();
    if (this.downSince === null) {
      this.downSince = now;
      this.counters.set("shelf_worker_db_unavailable_since_seconds", Math.floor(now / 1000));
      this.logger.error(
        { err: err.message },
        "PostgreSQL unreachable: jobs that need it wait and are retried until it answers",
      );
    }
    if (now - job.timestamp > this.outageMaxMs) {
      this.counters.inc("shelf_worker_db_outage_gave_up_total", { queue: job.queueName });
      throw new Error(
        `PostgreSQL unreachable and the job is ${Math.round((now - job.timestamp) / 1000)} s old (limit ${this.outageMaxMs / 1000} s): ${err.message}`,
      );
    }
    const outage = now - this.downSince;
    const delay = Math.round(Math.min(this.max, Math.max(this.min, outage / 2)) * (0.75 + Math.random() / 2));
    this.counters.inc("shelf_worker_db_unavailable_waits_total", { queue: job.queueName });
    await job.moveToDelayed(now + delay, token);
    throw new DelayedError();
  }

  private up(): void {
    this.logger.info(
      { outageS: Math.round((Date.now() - this.downSince!) / 1000) },
      "PostgreSQL answers again",
    );
    this.downSince = null;
    this.counters.set("shelf_worker_db_unavailable_since_seconds", 0);
  }
}
