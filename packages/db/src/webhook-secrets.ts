import { CameraSecretError, openSecret, sealSecret } from "./camera-secrets.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";

/**
 * Webhook signing keys at rest (`StoreAlertSettings.webhookSecret`): sealed like camera passwords (AES-256-GCM
 * under the installation's CAMERA_SECRET_KEY or key file, `camera-secrets.ts`). The web app seals (it
 * generates and shows the key); the worker opens it to sign each delivery, so the worker needs the same key.
 *
 * Rows from before sealing hold the key in plain text (64 hex chars). A SQL migration cannot seal them (the
 * key is not in the database), so both forms are accepted: a sealed value is recognised by its `v1:` prefix
 * (never the start of a hex key), a plain one is used as it is and sealed by the web app the next time an
 * admin opens or saves the store's alert settings.
 */

/** Whether a stored webhook secret is sealed (`v1:` + base64url), rather than a plain key from before sealing. */
export function isSealedWebhookSecret(stored: string): boolean {
  return stored.startsWith("v1:");
}

/** Seals a webhook signing key for storage. */
export function sealWebhookSecret(key: Buffer, plaintext: string): string {
  return sealSecret(key, plaintext);
}

/**
 * The signing key of a stored webhook secret: a plain one as it is, a sealed one opened with `key` (asked for
 * only then). Throws CameraSecretError when it was sealed under another key.
 */
export function openWebhookSecret(key: () => Buffer, stored: string): string {
  if (!isSealedWebhookSecret(stored)) return stored;
  try {
    return openSecret(key(), stored);
  } catch (err) {
    if (err instanceof CameraSecretError)
      throw new CameraSecretError(
        "webhook secret does not open with this CAMERA_SECRET_KEY: the worker needs the web app's key " +
          "(same CAMERA_SECRET_KEY, or the same key file)",
      );
    throw err;
  }
}

/** Seals the store's webhook secret if it is still plain (a row from before sealing). Returns whether it did. */
export async function sealPlaintextWebhookSecret(
  db: Pick<PrismaClient, "storeAlertSettings">,
  key: Buffer,
  storeId: string,
): Promise<boolean> {
  const row = await db.storeAlertSettings.findUnique({ where: { storeId }, select: { webhookSecret: true } });
  if (!row || isSealedWebhookSecret(row.webhookSecret)) return false;
  // Only the value read is replaced: a rotation in between wins.
  const { count } = await db.storeAlertSettings.updateMany({
    where: { storeId, webhookSecret: row.webhookSecret },
    data: { webhookSecret: sealWebhookSecret(key, row.webhookSecret) },
  });
  return count > 0;
}
