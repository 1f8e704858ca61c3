import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import type { Redis } from "ioredis";
import type pg from "pg";

/** A base64 run this long could hold a face crop (a 32×32 grey crop is 1,366 chars). */
const PIXEL_RUN = /[A-Za-z0-9+/]{1200,}={0,2}/;

/**
 * Columns that may hold an image by design: the calibration snapshot, whose faces the agent pixelates before
 * it leaves the agent (verified by test/integration/snapshot.test.ts). Everything else must be pixel-free.
 */
const ALLOWED_IMAGE_COLUMNS: Record<string, string[]> = { Camera: ["snapshot"] };

/**
 * Every value in every table of the database, as text, checked for anything that could hold pixels:
 * bytea columns, or a long base64 run. Returns the offending table/column names (empty when clean).
 */
export async function findPixelsInDatabase(client: pg.Client): Promise<string[]> {
  const problems: string[] = [];
  const bytea = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'bytea'`,
  );
  for (const r of bytea.rows) problems.push(`bytea column ${r.table_name}.${r.column_name}`);
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  for (const { table_name } of tables.rows) {
    const { rows } = await client.query<{ n: string }>(
      // PostgreSQL caps a bound at 255, hence 6 × 200.
      `SELECT count(*) AS n FROM "${table_name}" t WHERE (to_jsonb(t) ${(ALLOWED_IMAGE_COLUMNS[table_name] ?? []).map((c) => `- '${c}'`).join(" ")})::text ~ '(?:[A-Za-z0-9+/]{200}){6}'`,
    );
    if (Number(rows[0]!.n) > 0) problems.push(`${rows[0]!.n} row(s) of ${table_name} hold a long base64 run`);
  }
  return problems;
}

/** Every Redis key under a prefix whose value could hold pixels. */
export async function findPixelsInRedis(redis: Redis, prefix: string): Promise<string[]> {
  const problems: string[] = [];
  // `<prefix>:*` holds the stores' keys (`<prefix>:{s:<id>}:…`), `{<prefix>}:*` the central ones (redisLayout).
  for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        let values: string[] = [];
        if (type === "string") values = [(await redis.get(key)) ?? ""];
        else if (type === "hash") values = Object.values(await redis.hgetall(key));
        else if (type === "list") values = await redis.lrange(key, 0, -1);
        else if (type === "set") values = await redis.smembers(key);
        else if (type === "zset") values = await redis.zrange(key, 0, -1);
        else if (type === "stream") values = (await redis.xrange(key, "-", "+")).flatMap(([, f]) => f);
        if (values.some((v) => PIXEL_RUN.test(v) || v.includes('"crop"'))) problems.push(`${type} ${key}`);
      }
    } while (cursor !== "0");
  }
  return problems;
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * Deflated size over raw size of a byte run: pixels of a face compress, ciphertext and keys do not (≈ 1.0).
 * Exported so a test can show the bar separates the two.
 */
export function compressRatio(bytes: Buffer): number {
  return deflateRawSync(bytes, { level: 9 }).length / bytes.length;
}

/**
 * Files on disk (a Redis data folder: AOF, RDB) checked for pixels: any 32-byte slice or 48-char base64 slice
 * of the given crops, and any long base64 run whose bytes compress like an image (ciphertext does not).
 * Returns the problems found (empty when clean).
 */
export function findPixelsInFiles(dir: string, crops: readonly Uint8Array[]): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    const text = bytes.toString("latin1");
    const name = path.relative(dir, file);
    for (const [i, crop] of crops.entries()) {
      const b64 = Buffer.from(crop).toString("base64");
      const hit =
        [0, 0.25, 0.5, 0.75].some((f) => {
          const at = Math.floor((b64.length * f) / 4) * 4;
          return text.includes(b64.slice(at, at + 48));
        }) ||
        [0.3, 0.6].some((f) => {
          const at = Math.floor(crop.length * f);
          return bytes.includes(Buffer.from(crop.subarray(at, at + 32)));
        });
      if (hit) problems.push(`${name}: holds pixels of crop ${i}`);
    }
    for (const m of text.matchAll(new RegExp(PIXEL_RUN.source, "g"))) {
      const ratio = compressRatio(Buffer.from(m[0], "base64"));
      if (ratio < 0.95)
        problems.push(`${name}: a ${m[0].length}-char base64 run compresses to ${ratio.toFixed(2)}`);
    }
  }
  return problems;
}
