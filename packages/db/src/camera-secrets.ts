import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { parseCameraSource } from "@shelf/core";
import type { PrismaClient } from "./generated/prisma/client.ts";

/**
 * Camera passwords at rest: sealed with AES-256-GCM under one key per installation, shared by the web app
 * (which seals what an admin types) and the camera agent (which opens it to build ffmpeg's URL). The key
 * comes from CAMERA_SECRET_KEY (base64, 32 bytes) or from a file, by default `.data/camera-secret.key` at
 * the repository root, created on first use with mode 0600. Losing the key means re-entering every camera
 * password; it is never stored in the database.
 */

export class CameraSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CameraSecretError";
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = "v1:";

/** Where the key file lives by default: `.data/camera-secret.key` in the repository (or `cwd`) root. */
export function defaultCameraSecretKeyFile(cwd = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package-lock.json"))) return path.join(dir, ".data", "camera-secret.key");
    if (path.dirname(dir) === dir) return path.join(path.resolve(cwd), ".data", "camera-secret.key");
  }
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== KEY_BYTES)
    throw new CameraSecretError(
      `${where}: must be ${KEY_BYTES} bytes, base64 (e.g. \`openssl rand -base64 32\`)`,
    );
  return key;
}

/**
 * The camera secret key: `key` (CAMERA_SECRET_KEY) when set, else the key file, created (0600, in a 0700
 * folder) when missing. A key file others can read is tightened to 0600.
 */
export function loadCameraSecretKey(
  opts: { key?: string | undefined; file?: string | undefined } = {},
): Buffer {
  if (opts.key) return decodeKey(opts.key, "CAMERA_SECRET_KEY");
  const file = opts.file ?? defaultCameraSecretKeyFile();
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside, then linked into place: a process starting at the same moment (web and agent do) sees
    // either no file or the whole key, and the first link wins.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(tmp, randomBytes(KEY_BYTES).toString("base64"), { flag: "wx", mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return decodeKey(readFileSync(file, "utf8"), file);
}

/** Seals a secret: `v1:` + base64url(iv ‖ tag ‖ ciphertext). */
export function sealSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** Opens a sealed secret. Throws CameraSecretError when it was sealed under another key or altered. */
export function openSecret(key: Buffer, sealed: string): string {
  if (!sealed.startsWith(PREFIX)) throw new CameraSecretError("not a sealed camera secret");
  const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new CameraSecretError("sealed camera secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new CameraSecretError("camera credentials do not open with this CAMERA_SECRET_KEY (another key?)");
  }
}

/**
 * Moves passwords still written in source URLs (rows from before sealing) into sealed `sourceCredentials`.
 * A SQL migration cannot do it (the key is not in the database), so the web app and the agent run this
 * when they read cameras. Returns how many rows it sealed.
 */
export async function sealPlaintextCameraCredentials(
  db: Pick<PrismaClient, "camera">,
  key: Buffer,
  where: { storeId?: string } = {},
): Promise<number> {
  const rows = await db.camera.findMany({
    where: { ...where, sourceUrl: { contains: "@" } },
    select: { id: true, sourceUrl: true },
  });
  let sealed = 0;
  for (const row of rows) {
    let source;
    try {
      source = parseCameraSource(row.sourceUrl);
    } catch {
      continue; // refused anyway by the agent; nothing to move
    }
    if (source.kind !== "network" || !source.credentials) continue;
    await db.camera.update({
      where: { id: row.id },
      data: { sourceUrl: source.url, sourceCredentials: sealSecret(key, source.credentials) },
    });
    sealed++;
  }
  return sealed;
}
