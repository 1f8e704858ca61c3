import { lookup } from "node:dns/promises";
import {
  CameraSourceError,
  checkSourceAddresses,
  parseCameraSource,
  ZSourceAllowlist,
  type CameraSource,
} from "@shelf/core";
import { loadCameraSecretKey } from "@shelf/db";
import { webEnv } from "../../env.ts";
import { DomainRuleError, type StoreContext } from "../../trpc.ts";

let key: Buffer | undefined;
/** The camera secret key (CAMERA_SECRET_KEY or the key file), read once per process. */
export function cameraSecretKey(): Buffer {
  const env = webEnv();
  key ??= loadCameraSecretKey({ key: env.CAMERA_SECRET_KEY, file: env.CAMERA_SECRET_KEY_FILE });
  return key;
}

/** The store's camera allowlist (empty when an admin never set one: no network source allowed). */
export async function storeAllowlist(db: StoreContext["db"], storeId: string): Promise<string[]> {
  const policy = await db.cameraSourcePolicy.findUnique({ where: { storeId }, select: { allowlist: true } });
  // The column is validated on write; a row edited by hand that no longer parses allows nothing.
  const parsed = ZSourceAllowlist.safeParse(policy?.allowlist ?? []);
  return parsed.success ? parsed.data : [];
}

/**
 * Parses a source an admin typed and checks it against the store's allowlist, resolving its host name now
 * (the agent checks again, with its own resolver, every time it connects). Errors name the field.
 */
export async function checkedSource(
  db: StoreContext["db"],
  storeId: string,
  sourceUrl: string,
): Promise<CameraSource> {
  let source: CameraSource;
  try {
    source = parseCameraSource(sourceUrl);
  } catch (err) {
    if (err instanceof CameraSourceError)
      throw new DomainRuleError(`sourceUrl: ${err.message}`, ["sourceUrl"]);
    throw err;
  }
  if (source.kind !== "network") return source;
  const addresses = await lookup(source.host, { all: true, verbatim: true }).then(
    (found) => found.map((a) => a.address),
    () => [],
  );
  const verdict = checkSourceAddresses({
    host: source.host,
    addresses,
    allowlist: await storeAllowlist(db, storeId),
  });
  if (!verdict.ok) throw new DomainRuleError(`sourceUrl: ${verdict.reason}`, ["sourceUrl"]);
  return source;
}
