import {
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomUUID,
  type KeyObject,
} from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  CROP_KEY_INFO,
  CROP_KEY_ROTATE_MS,
  CROP_RECIPIENT_HEARTBEAT_MS,
  cropAad,
  MAX_CROP_TTL_MS,
  redisKeys,
  ZWrappedCropKey,
  type CropQueueJob,
} from "@shelf/core";

/** Thrown when a sealed crop does not decrypt (tampered, or sealed for another visit): bad input. */
export class CropAuthError extends Error {
  override name = "CropAuthError";
}

/**
 * The worker's side of crop encryption (the agent's is CropKeyring): an X25519 key pair made at start and
 * kept in memory only, whose public half is published in Redis (refreshed every CROP_RECIPIENT_HEARTBEAT_MS,
 * removed on close). Agents wrap their crop data keys for it; this class unwraps them on demand and keeps them
 * in memory until no crop sealed under them can still be read. A restarted worker is a new recipient: keys
 * that were only ever wrapped for its predecessor died with it.
 */
export class CropKeyHolder {
  readonly id = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicKey: string;
  private readonly keys = new Map<string, { key: Buffer; at: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    const pair = generateKeyPairSync("x25519");
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
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
    try {
      await this.redis.hset(
        redisKeys.cropRecipients(this.prefix),
        this.id,
        JSON.stringify({ publicKey: this.publicKey, seenAt: now }),
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
    const key = await this.dataKey(job.crop.keyId);
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

  private async dataKey(keyId: string): Promise<Buffer | null> {
    const cached = this.keys.get(keyId);
    if (cached) return cached.key;
    const raw = await this.redis.hget(redisKeys.cropKeys(this.prefix, keyId), this.id);
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
      this.keys.set(keyId, { key, at: Date.now() });
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
    await this.redis.hdel(redisKeys.cropRecipients(this.prefix), this.id).catch(() => undefined);
  }
}
