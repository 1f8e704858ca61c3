import type { Logger } from "pino";
import { inStoreShard, type StoreShard } from "@shelf/core";

/** Anything a store's consumers hold open: BullMQ workers, mostly. */
export interface Closable {
  close(): Promise<void>;
}

export interface StoreConsumersDeps {
  /** Every store's id (PostgreSQL). */
  listStores(): Promise<string[]>;
  /** Which stores this process serves (`STORE_SHARD`, default `0/1`: all). */
  shard: StoreShard;
  /** Starts the consumers of one store (its crop and track workers). */
  start(storeId: string): Closable[];
  /** Told the served stores after every change (the crop key holder publishes its key under them). */
  changed?(served: string[]): Promise<void>;
  /** How often the store list is read again, ms. Default 10 s (`STORE_REFRESH_MS`). */
  refreshMs?: number;
  logger: Logger;
}

/**
 * The per-store consumers of one worker process.
 *
 * Sharding: each store's agent writes its own queues (`<base>:{s:<storeId>}:shelf-crops`, `…:shelf-tracks`). A
 * worker process serves the stores of its shard, `STORE_SHARD=i/n`: those whose stable hash of the id is `i`
 * mod `n` (`inStoreShard`). Run n groups of worker processes with i = 0 … n-1 (several processes of one shard
 * compete for its jobs as usual). The store list is read from PostgreSQL at start and every `refreshMs`: a store
 * created later is served within one refresh, a deleted one is let go. Changing n moves stores between shards:
 * restart every group with the new n (a store served twice for a moment is harmless: BullMQ hands each job to
 * one worker; fixed job ids keep producers idempotent).
 *
 * Connection cost: a BullMQ Worker holds one blocking connection (BZPOPMIN on its queue's marker) besides the
 * shared command connection, so a process holds 7 connections (2 command + 5 central workers) plus 2 blocking
 * connections per served store (crops + tracks): measured 51 stores → 109 clients with `0/1`, 41 with `0/4`
 * (17 stores). 1,000 stores in one shard = about 2,007 Redis connections per process, and every process of
 * that shard holds as many. Redis serves 10,000 clients by default (`maxclients`), so for 1,000 stores split
 * them into shards (e.g. 4 shards × 2 processes = 8 processes × ~507 connections ≈ 4,060).
 */
export class StoreConsumers {
  private readonly served = new Map<string, Closable[]>();
  private all: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: StoreConsumersDeps) {}

  /** Serves the shard's stores now, and keeps the list fresh. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.deps.refreshMs ?? 10_000);
    this.timer.unref();
  }

  /** Every store as last read (the sweep looks at all of them, whichever shard). */
  get allStores(): readonly string[] {
    return this.all;
  }

  /** The stores this process consumes now. */
  get servedStores(): string[] {
    return [...this.served.keys()];
  }

  /** Reads the store list and starts or stops consumers to match the shard. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    let ids: string[];
    try {
      ids = await this.deps.listStores();
    } catch (err) {
      this.deps.logger.warn(
        { err: (err as Error).message },
        "store list not read; serving the stores as before",
      );
      return;
    }
    if (this.closed) return;
    this.all = ids;
    const wanted = new Set(ids.filter((id) => inStoreShard(id, this.deps.shard)));
    const stopped: string[] = [];
    for (const [id, consumers] of this.served)
      if (!wanted.has(id)) {
        this.served.delete(id);
        stopped.push(id);
        await Promise.all(consumers.map((c) => c.close()));
      }
    const started: string[] = [];
    for (const id of wanted)
      if (!this.served.has(id)) {
        this.served.set(id, this.deps.start(id));
        started.push(id);
      }
    if (started.length || stopped.length) {
      this.deps.logger.info(
        {
          started: started.length,
          stopped: stopped.length,
          served: this.served.size,
          shard: this.deps.shard,
        },
        "store consumers updated",
      );
      await this.deps.changed?.(this.servedStores);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
    const all = [...this.served.values()].flat();
    this.served.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
