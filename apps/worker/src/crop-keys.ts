import {
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomUUID,
  type KeyObject,
} from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import type { Logger } from "pino";
import {
  CROP_KEY_INFO,
  CROP_KEY_ROTATE_MS,
  CROP_RECIPIENT_HEARTBEAT_MS,
  cropAad,
  MAX_CROP_TTL_MS,
  redisKeys,
  type RedisLayout,
  ZWrappedCropKey,
  type CropQueueJob,
} from "@shelf/core";

/** Thrown when a sealed crop does not decrypt (tampered, or sealed for another visit): bad input. */
export class CropAuthError extends Error {
  override name = "CropAuthError";
}

/**
 * The worker's side of crop encryption (the agent's is CropKeyring): an X25519 key pair made at start and
 * kept in memory only, whose public half is published in Redis under the prefix of every store whose crops this
 * worker consumes (`serve`; refreshed every CROP_RECIPIENT_HEARTBEAT_MS, removed on close): a store's agent reads
 * only its own keys, and wraps its data keys only for the workers that can take its crops. Agents wrap their crop data keys for it; this class unwraps them on demand and keeps them
 * in memory until no crop sealed under them can still be read. A restarted worker is a new recipient: keys
 * that were only ever wrapped for its predecessor died with it.
 */
export class CropKeyHolder {
  readonly id = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicKey: string;
  private readonly keys = new Map<string, { key: Buffer; at: number }>();
  private timer: NodeJS.Timeout | null = null;
  /** Ids of the stores whose crops this worker consumes. */
  private stores = new Set<string>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly layout: RedisLayout,
    private readonly logger: Logger,
  ) {
    const pair = generateKeyPairSync("x25519");
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  }

  /**
   * The stores whose crops this worker consumes now: the key is published under each of their prefixes at
   * once, and withdrawn from the stores it no longer serves.
   */
  async serve(storeIds: Iterable<string>): Promise<void> {
    const next = new Set(storeIds);
    const gone = [...this.stores].filter((id) => !next.has(id));
    const added = [...next].filter((id) => !this.stores.has(id));
    this.stores = next;
    await Promise.all(
      gone.map((id) =>
        this.redis.hdel(redisKeys.cropRecipients(this.layout.store(id)), this.id).catch(() => undefined),
      ),
    );
    if (added.length > 0) await this.publish(added, Date.now());
  }

  /** Publishes the public key now and keeps it fresh. */
  start(): void {
    void this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), CROP_RECIPIENT_HEARTBEAT_MS);
    this.timer.unref();
  }

  private async heartbeat(): Promise<void> {
    const now = Date.now();
    for (const [id, k] of this.keys)
      if (now - k.at > CROP_KEY_ROTATE_MS + MAX_CROP_TTL_MS) {
        k.key.fill(0);
        this.keys.delete(id);
      }
    await this.publish([...this.stores], now);
  }

  /** One HSET per store (each in its store's slot on a cluster). */
  private async publish(storeIds: string[], now: number): Promise<void> {
    const value = JSON.stringify({ publicKey: this.publicKey, seenAt: now });
    try {
      await Promise.all(
        storeIds.map((id) =>
          this.redis.hset(redisKeys.cropRecipients(this.layout.store(id)), this.id, value),
        ),
      );
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "crop public key not published");
    }
  }

  /**
   * The crop's pixels, or null when no agent has wrapped its data key for this worker (yet): the caller
   * waits and asks again until the crop expires.
   * @throws CropAuthError when the crop or its wrapped key fails authentication.
   */
  async open(job: CropQueueJob): Promise<Buffer | null> {
    const key = await this.dataKey(job.context.storeId, job.crop.keyId);
    if (!key) return null;
    const { crop } = job;
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(crop.iv, "base64"));
      decipher.setAAD(Buffer.from(cropAad(job)));
      decipher.setAuthTag(Buffer.from(crop.tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(crop.data, "base64")), decipher.final()]);
    } catch {
      throw new CropAuthError("crop.data: does not decrypt under its key (tampered or moved)");
    }
  }

  private async dataKey(storeId: string, keyId: string): Promise<Buffer | null> {
    const cached = this.keys.get(`${storeId}|${keyId}`);
    if (cached) return cached.key;
    const raw = await this.redis.hget(redisKeys.cropKeys(this.layout.store(storeId), keyId), this.id);
    if (raw === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = null;
    }
    const wrapped = ZWrappedCropKey.safeParse(value);
    if (!wrapped.success) throw new CropAuthError(`crop.keyId: the wrapped key ${keyId} is malformed`);
    try {
      const epk = createPublicKey({
        key: Buffer.from(wrapped.data.epk, "base64"),
        format: "der",
        type: "spki",
      });
      const shared = diffieHellman({ privateKey: this.privateKey, publicKey: epk });
      const kek = Buffer.from(
        hkdfSync("sha256", shared, Buffer.from(keyId), Buffer.from(CROP_KEY_INFO + this.id), 32),
      );
      shared.fill(0);
      const decipher = createDecipheriv("aes-256-gcm", kek, Buffer.from(wrapped.data.iv, "base64"));
      decipher.setAAD(Buffer.from(`${keyId}|${this.id}`));
      decipher.setAuthTag(Buffer.from(wrapped.data.tag, "base64"));
      const key = Buffer.concat([decipher.update(Buffer.from(wrapped.data.key, "base64")), decipher.final()]);
      kek.fill(0);
      this.keys.set(`${storeId}|${keyId}`, { key, at: Date.now() });
      return key;
    } catch {
      throw new CropAuthError(`crop.keyId: the wrapped key ${keyId} does not unwrap for this worker`);
    }
  }

  /** Stops publishing, withdraws the public key and forgets every data key. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const k of this.keys.values()) k.key.fill(0);
    this.keys.clear();
    await this.serve([]);
  }
}
