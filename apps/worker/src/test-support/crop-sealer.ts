import {
  createCipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from "node:crypto";
import type { Redis } from "ioredis";
import {
  CROP_KEY_INFO,
  cropAad,
  redisKeys,
  ZCropRecipient,
  type CropQueueJob,
  type TrackContext,
} from "@shelf/core";

/**
 * The agent's side of crop sealing, written again from the contract in @shelf/core (queues.ts) so that the
 * worker's tests check the protocol rather than share the agent's code: one data key, AES-256-GCM over the
 * pixels bound to `cropAad`, the key wrapped (X25519 + HKDF + AES-GCM) for every worker published in Redis.
 */
export class TestCropSealer {
  readonly keyId = randomBytes(18).toString("base64url");
  private readonly key = randomBytes(32);

  constructor(
    private readonly redis: Redis,
    /** The store's prefix (`redisLayout().store`): its workers' public keys and its wrapped keys live there. */
    private readonly prefix: string,
  ) {}

  /** Wraps the data key for every worker whose public key is in Redis now. */
  async shareKey(): Promise<number> {
    const recipients = await this.redis.hgetall(redisKeys.cropRecipients(this.prefix));
    for (const [workerId, value] of Object.entries(recipients)) {
      const { publicKey } = ZCropRecipient.parse(JSON.parse(value));
      const eph = generateKeyPairSync("x25519");
      const shared = diffieHellman({
        privateKey: eph.privateKey,
        publicKey: createPublicKey({ key: Buffer.from(publicKey, "base64"), format: "der", type: "spki" }),
      });
      const kek = Buffer.from(
        hkdfSync("sha256", shared, Buffer.from(this.keyId), Buffer.from(CROP_KEY_INFO + workerId), 32),
      );
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", kek, iv);
      cipher.setAAD(Buffer.from(`${this.keyId}|${workerId}`));
      const wrapped = Buffer.concat([cipher.update(this.key), cipher.final()]);
      await this.redis.hset(
        redisKeys.cropKeys(this.prefix, this.keyId),
        workerId,
        JSON.stringify({
          epk: eph.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
          iv: iv.toString("base64"),
          tag: cipher.getAuthTag().toString("base64"),
          key: wrapped.toString("base64"),
        }),
      );
    }
    return Object.keys(recipients).length;
  }

  /** A crop job as the agent queues it: `pixels` (grey, side × side) sealed under the data key. */
  seal(
    context: TrackContext,
    capturedAt: number,
    pixels: Uint8Array,
    opts: { side: number; expiresAt?: number },
  ): CropQueueJob {
    const { side } = opts;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(
      Buffer.from(
        cropAad({ context, capturedAt, crop: { width: side, height: side, channels: 1, keyId: this.keyId } }),
      ),
    );
    const data = Buffer.concat([cipher.update(pixels), cipher.final()]);
    return {
      context,
      capturedAt,
      box: { x: 10, y: 10, w: 40, h: 40 },
      detectionScore: 0.9,
      expiresAt: opts.expiresAt ?? capturedAt + 60_000,
      crop: {
        width: side,
        height: side,
        channels: 1,
        keyId: this.keyId,
        iv: iv.toString("base64"),
        tag: cipher.getAuthTag().toString("base64"),
        data: data.toString("base64"),
      },
    };
  }
}
