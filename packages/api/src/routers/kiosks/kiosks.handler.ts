import { DomainRuleError, NotFoundError, type StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import { issuePairingCode } from "../../survey/kiosk-pairing.ts";
import { type CreateKioskInput, type KioskInput } from "./schemas.ts";

/** The survey secret keys pairing-code hashes; passed in so handlers stay testable without Next. */
type Ctx = Pick<StoreContext, "db" | "store" | "user">;

export interface KioskView {
  id: string;
  name: string;
  zone: { id: string; name: string } | null;
  createdAt: Date;
  pairedAt: Date | null;
  revokedAt: Date | null;
  /** An unused pairing code is open until then. */
  pairingExpiresAt: Date | null;
}

/** A one-time pairing code, shown to the admin once (only its hash is stored). */
export interface PairingCode {
  kioskId: string;
  code: string;
  expiresAt: Date;
}

/** The store's kiosks with their pairing state. */
export async function listKiosks({ ctx }: { ctx: Pick<StoreContext, "db" | "store"> }): Promise<KioskView[]> {
  const kiosks = await ctx.db.kiosk.findMany({
    where: { storeId: ctx.store.id },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      createdAt: true,
      pairedAt: true,
      revokedAt: true,
      pairingExpiresAt: true,
      zone: { select: { id: true, name: true } },
    },
  });
  const now = Date.now();
  return kiosks.map((k) => ({
    ...k,
    pairingExpiresAt: k.pairingExpiresAt && k.pairingExpiresAt.getTime() > now ? k.pairingExpiresAt : null,
  }));
}

/** Creates a kiosk and its first pairing code. Audited (never the code). */
export async function createKiosk({
  ctx,
  input,
  secret,
}: {
  ctx: Ctx;
  input: CreateKioskInput;
  secret: string;
}): Promise<PairingCode> {
  const { db, store, user } = ctx;
  if (input.zoneId) {
    const zone = await db.shelfZone.findUnique({ where: { id: input.zoneId }, select: { storeId: true } });
    if (!zone || zone.storeId !== store.id) throw new NotFoundError(`zone "${input.zoneId}"`);
  }
  const kiosk = await db.kiosk.create({
    data: { storeId: store.id, name: input.name, zoneId: input.zoneId },
    select: { id: true },
  });
  const { code, expiresAt } = await issuePairingCode(db, kiosk.id, secret);
  await writeAudit(db, {
    storeId: store.id,
    userId: user.id,
    action: "kiosk.create",
    entity: "Kiosk",
    entityId: kiosk.id,
    after: { name: input.name, zoneId: input.zoneId, pairingExpiresAt: expiresAt },
  });
  return { kioskId: kiosk.id, code, expiresAt };
}

async function ownKiosk(ctx: Pick<StoreContext, "db" | "store">, kioskId: string) {
  const kiosk = await ctx.db.kiosk.findUnique({
    where: { id: kioskId },
    select: { id: true, storeId: true, revokedAt: true, name: true },
  });
  if (!kiosk || kiosk.storeId !== ctx.store.id) throw new NotFoundError(`kiosk "${kioskId}"`);
  return kiosk;
}

/**
 * A new one-time pairing code (replacing any open one), e.g. for a replacement tablet: the device that
 * uses it replaces the paired one. Audited.
 */
export async function newPairingCode({
  ctx,
  input,
  secret,
}: {
  ctx: Ctx;
  input: KioskInput;
  secret: string;
}): Promise<PairingCode> {
  const kiosk = await ownKiosk(ctx, input.kioskId);
  if (kiosk.revokedAt) throw new DomainRuleError("kioskId: this kiosk is revoked; create a new one");
  const { code, expiresAt } = await issuePairingCode(ctx.db, kiosk.id, secret);
  await writeAudit(ctx.db, {
    storeId: ctx.store.id,
    userId: ctx.user.id,
    action: "kiosk.pairing-code",
    entity: "Kiosk",
    entityId: kiosk.id,
    after: { pairingExpiresAt: expiresAt },
  });
  return { kioskId: kiosk.id, code, expiresAt };
}

/** Revokes a kiosk: its device credential and any open code stop working at once (open streams within a heartbeat). Audited. */
export async function revokeKiosk({ ctx, input }: { ctx: Ctx; input: KioskInput }): Promise<{ id: string }> {
  const kiosk = await ownKiosk(ctx, input.kioskId);
  if (kiosk.revokedAt) return { id: kiosk.id };
  const revokedAt = new Date();
  await ctx.db.kiosk.update({
    where: { id: kiosk.id },
    data: { revokedAt, deviceTokenHash: null, pairingCodeHash: null, pairingExpiresAt: null },
  });
  await writeAudit(ctx.db, {
    storeId: ctx.store.id,
    userId: ctx.user.id,
    action: "kiosk.revoke",
    entity: "Kiosk",
    entityId: kiosk.id,
    after: { name: kiosk.name, revokedAt },
  });
  return { id: kiosk.id };
}
