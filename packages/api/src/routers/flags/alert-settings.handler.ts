import { randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { checkWebhookAddresses, webhookHost } from "@shelf/core";
import {
  isSealedWebhookSecret,
  openWebhookSecret,
  sealPlaintextWebhookSecret,
  sealWebhookSecret,
} from "@shelf/db";
import { writeAudit } from "../../audit.ts";
import { cameraSecretKey } from "../cameras/source-policy.ts";
import { DomainRuleError, type StoreContext } from "../../trpc.ts";
import type { UpdateAlertSettingsInput } from "./schemas.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

/** Resolves a host to every address (tests pass their own). */
export type Resolver = (host: string) => Promise<string[]>;

const dnsResolver: Resolver = (host) =>
  lookup(host, { all: true, verbatim: true }).then(
    (found) => found.map((a) => a.address),
    () => [],
  );

/** A fresh webhook signing key: 32 random bytes, hex. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString("hex");
}

/**
 * A fresh signing key, sealed for storage under the installation's secret key (`webhook-secrets.ts` in
 * @shelf/db; the worker opens it to sign).
 */
function newSealedWebhookSecret(): string {
  return sealWebhookSecret(cameraSecretKey(), newWebhookSecret());
}

export interface AlertSettingsView {
  enabled: boolean;
  emailRecipients: string[];
  webhookUrl: string | null;
  webhookAllowlist: string[];
  /** The HMAC-SHA256 key receivers verify with (admins only); null until the settings are first saved. */
  webhookSecret: string | null;
  updatedAt: Date | null;
}

/**
 * The store's alert settings (defaults when never saved: enabled, nobody to tell). The signing key is stored
 * sealed and shown opened; a plain key left from before sealing is sealed now (as camera passwords are).
 */
export async function alertSettings({ ctx }: { ctx: Pick<Ctx, "db" | "store"> }): Promise<AlertSettingsView> {
  await sealPlaintextWebhookSecret(ctx.db, cameraSecretKey(), ctx.store.id);
  const row = await ctx.db.storeAlertSettings.findUnique({ where: { storeId: ctx.store.id } });
  return {
    enabled: row?.enabled ?? true,
    emailRecipients: row?.emailRecipients ?? [],
    webhookUrl: row?.webhookUrl ?? null,
    webhookAllowlist: row?.webhookAllowlist ?? [],
    webhookSecret: row ? openWebhookSecret(cameraSecretKey, row.webhookSecret) : null,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** What the audit log keeps: counts and the webhook's origin, never the key or the path. */
function auditView(s: {
  enabled: boolean;
  emailRecipients: string[];
  webhookUrl: string | null;
  webhookAllowlist: string[];
}) {
  return {
    enabled: s.enabled,
    emailRecipients: s.emailRecipients.length,
    webhook: s.webhookUrl ? new URL(s.webhookUrl).origin : null,
    webhookAllowlist: s.webhookAllowlist,
  };
}

/**
 * Saves the store's alert settings. The webhook URL's host is resolved now and every address checked
 * against the webhook policy (`checkWebhookAddresses`); the worker checks again before each send.
 */
export async function updateAlertSettings(
  { ctx, input }: { ctx: Ctx; input: UpdateAlertSettingsInput },
  resolve: Resolver = dnsResolver,
): Promise<AlertSettingsView> {
  const emailRecipients = [...new Set(input.emailRecipients)];
  if (input.webhookUrl) {
    const url = new URL(input.webhookUrl);
    const verdict = checkWebhookAddresses({
      url,
      addresses: await resolve(webhookHost(url)),
      allowlist: input.webhookAllowlist,
    });
    if (!verdict.ok) throw new DomainRuleError(verdict.reason, ["webhookUrl"]);
  }
  const data = {
    enabled: input.enabled,
    emailRecipients,
    webhookUrl: input.webhookUrl,
    webhookAllowlist: input.webhookAllowlist,
  };
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.storeAlertSettings.findUnique({ where: { storeId: ctx.store.id } });
    await tx.storeAlertSettings.upsert({
      where: { storeId: ctx.store.id },
      create: { storeId: ctx.store.id, ...data, webhookSecret: newSealedWebhookSecret() },
      // A plain key from before sealing is sealed on this write (same key: receivers keep verifying).
      update:
        before && !isSealedWebhookSecret(before.webhookSecret)
          ? { ...data, webhookSecret: sealWebhookSecret(cameraSecretKey(), before.webhookSecret) }
          : data,
    });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: before ? "alertSettings.update" : "alertSettings.create",
      entity: "alertSettings",
      entityId: ctx.store.id,
      before: before ? auditView(before) : undefined,
      after: auditView(data),
    });
  });
  return alertSettings({ ctx });
}

/** Replaces the webhook signing key (receivers must be given the new one). */
export async function rotateWebhookSecret({ ctx }: { ctx: Ctx }): Promise<AlertSettingsView> {
  await ctx.db.$transaction(async (tx) => {
    await tx.storeAlertSettings.upsert({
      where: { storeId: ctx.store.id },
      create: { storeId: ctx.store.id, webhookSecret: newSealedWebhookSecret() },
      update: { webhookSecret: newSealedWebhookSecret() },
    });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: "alertSettings.rotateSecret",
      entity: "alertSettings",
      entityId: ctx.store.id,
    });
  });
  return alertSettings({ ctx });
}
