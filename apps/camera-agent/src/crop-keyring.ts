import {
  createCipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import type { Logger } from "pino";
import {
  CROP_KEY_INFO,
  CROP_KEY_ROTATE_MS,
  CROP_RECIPIENT_HEARTBEAT_MS,
  cropAad,
  redisKeys,
  ZCropRecipient,
  type CropJob,
  type SealedCrop,
  type WrappedCropKey,
} from "@shelf/core";

interface DataKey {
  id: string;
  key: Buffer;
  createdAt: number; // ms since epoch
  /** Workers this key has been wrapped for (their wrap is in Redis). */
  wrappedFor: Set<string>;
}

/** Recipients are re-read at most this often, ms. */
const RECIPIENTS_REFRESH_MS = 2_000;

/**
 * The agent's side of crop encryption: seals each crop's pixels with AES-256-GCM under a random data key that
 * lives only in this process's memory, rotated every `rotateMs`, and forgotten once no crop sealed under it can
 * still be read (`rotateMs` + crop TTL). Workers publish X25519 public keys in Redis; each data key is wrapped
 * for every live worker (ECDH with a fresh ephemeral key + HKDF + AES-GCM) and the wraps go to Redis. Nothing
 * that reaches Redis — and so its AOF and RDB files — can be decrypted without a private key that exists only
 * in a running worker's memory.
 */
export class CropKeyring {
  private keys: DataKey[] = [];
  private recipients = new Map<string, KeyObject>();
  private refreshedAt = -Infinity;
  private refreshing: Promise<void> | null = null;
  /** While keys are kept, workers that appear later get them wrapped too (a worker restarted mid-backlog). */
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly options: {
      /** How long a crop may wait in the queue, ms (data keys are kept this long after their last use). */
      cropTtlMs: number;
      /** A new data key every this many ms. Default CROP_KEY_ROTATE_MS. */
      rotateMs?: number;
    },
  ) {}

  private get rotateMs(): number {
    return this.options.rotateMs ?? CROP_KEY_ROTATE_MS;
  }

  /** Seals a crop's pixels (base64 in `job.crop.data`) under the current data key. */
  async seal(job: CropJob, now = Date.now()): Promise<SealedCrop> {
    this.prune(now);
    let current = this.keys.at(-1);
    if (!current || now - current.createdAt >= this.rotateMs) {
      current = {
        id: randomBytes(18).toString("base64url"),
        key: randomBytes(32),
        createdAt: now,
        wrappedFor: new Set(),
      };
      this.keys.push(current);
      this.refreshedAt = -Infinity; // wrap the new key for every live worker before it is used
      this.timer ??= setInterval(() => {
        this.prune(Date.now());
        if (this.keys.length === 0) this.stopTimer();
        else void this.refresh();
      }, RECIPIENTS_REFRESH_MS).unref();
    }
    if (now - this.refreshedAt >= RECIPIENTS_REFRESH_MS) await this.refresh(now);
    const { width, height, channels } = job.crop;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", current.key, iv);
    cipher.setAAD(
      Buffer.from(
        cropAad({
          context: job.context,
          capturedAt: job.capturedAt,
          crop: { width, height, channels, keyId: current.id },
        }),
      ),
    );
    const pixels = Buffer.from(job.crop.data, "base64");
    const data = Buffer.concat([cipher.update(pixels), cipher.final()]);
    pixels.fill(0);
    return {
      width,
      height,
      channels,
      keyId: current.id,
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    };
  }

  /** Workers whose public key is fresh, as last read. */
  get recipientCount(): number {
    return this.recipients.size;
  }

  /** Forgets every data key (shutdown). */
  clear(): void {
    this.stopTimer();
    for (const k of this.keys) k.key.fill(0);
    this.keys = [];
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Re-reads the workers' public keys and wraps every kept data key for the workers that lack it. */
  async refresh(now = Date.now()): Promise<void> {
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.doRefresh(now).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(now: number): Promise<void> {
    try {
      const raw = await this.redis.hgetall(redisKeys.cropRecipients(this.prefix));
      const fresh = new Map<string, KeyObject>();
      for (const [workerId, value] of Object.entries(raw)) {
        const parsed = ZCropRecipient.safeParse(safeJson(value));
        if (!parsed.success || now - parsed.data.seenAt > 3 * CROP_RECIPIENT_HEARTBEAT_MS) continue;
        try {
          const key =
            this.recipients.get(workerId) ??
            createPublicKey({
              key: Buffer.from(parsed.data.publicKey, "base64"),
              format: "der",
              type: "spki",
            });
          if (key.asymmetricKeyType === "x25519") fresh.set(workerId, key);
        } catch {
          this.logger.warn({ workerId }, "crop recipient with an unreadable public key ignored");
        }
      }
      this.recipients = fresh;
      const pipeline = this.redis.multi();
      const added: [DataKey, string][] = [];
      for (const k of this.keys) {
        const wraps: string[] = [];
        for (const [workerId, publicKey] of fresh) {
          if (k.wrappedFor.has(workerId)) continue;
          wraps.push(workerId, JSON.stringify(wrapKey(k, workerId, publicKey)));
          added.push([k, workerId]);
        }
        if (wraps.length === 0) continue;
        const redisKey = redisKeys.cropKeys(this.prefix, k.id);
        pipeline
          .hset(redisKey, ...wraps)
          .pexpireat(redisKey, k.createdAt + this.rotateMs + this.options.cropTtlMs + 60_000);
      }
      if (added.length > 0) {
        await pipeline.exec();
        for (const [k, workerId] of added) k.wrappedFor.add(workerId);
      } else pipeline.discard();
      this.refreshedAt = now;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "crop keys not shared with workers yet");
    }
  }

  /** Forgets data keys no queued crop can still need. */
  private prune(now: number): void {
    const keep = this.rotateMs + this.options.cropTtlMs;
    while (this.keys.length > 0 && now - this.keys[0]!.createdAt > keep) this.keys.shift()!.key.fill(0);
  }
}

function wrapKey(k: DataKey, workerId: string, publicKey: KeyObject): WrappedCropKey {
  const eph = generateKeyPairSync("x25519");
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey });
  const kek = Buffer.from(
    hkdfSync("sha256", shared, Buffer.from(k.id), Buffer.from(CROP_KEY_INFO + workerId), 32),
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek, iv);
  cipher.setAAD(Buffer.from(`${k.id}|${workerId}`));
  const wrapped = Buffer.concat([cipher.update(k.key), cipher.final()]);
  kek.fill(0);
  shared.fill(0);
  return {
    epk: eph.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    key: wrapped.toString("base64"),
  };
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
