import type { FlagChange } from "@shelf/core";
import { rebuildDailyRollups, type StoreSettings } from "@shelf/db";
import { DomainRuleError, type StoreContext } from "../../trpc.ts";
import { K_ANONYMITY_FLOOR } from "../../reports/rules.ts";
import { writeAudit } from "../../audit.ts";
import { redoFlags } from "./rescore.ts";
import type { StoreInput, UpdateSettingsInput } from "./schemas.ts";

export interface StoreSettingsView {
  store: StoreContext["store"];
  settings: Omit<StoreSettings, "storeId" | "updatedAt">;
}

const view = (s: StoreSettings): StoreSettingsView["settings"] => {
  const { storeId: _s, updatedAt: _u, ...rest } = s;
  return rest;
};

/** The store's rules (its settings row, created with the defaults on first read). */
export async function getSettings({
  ctx,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: StoreInput;
}): Promise<StoreSettingsView> {
  const settings = await ctx.db.storeSettings.upsert({
    where: { storeId: ctx.store.id },
    create: { storeId: ctx.store.id },
    update: {},
  });
  return { store: ctx.store, settings: view(settings) };
}

/**
 * Changes the store's name, time zone and rules, audited. k below {@link K_ANONYMITY_FLOOR} needs a super
 * admin. A changed negative set, window or hesitation rule has the worker rescore every item of the store
 * (scores and flags); a changed minimum sample alone has it re-decide the flags from the current scores. The
 * handler waits for the worker, so the page shows the flags raised and cleared at once.
 */
export async function updateSettings({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store" | "user" | "requestRescore">;
  input: UpdateSettingsInput;
}): Promise<StoreSettingsView & { flagChanges: FlagChange[] }> {
  const { db, store, user } = ctx;
  const { storeSlug: _, name, timezone, ...rules } = input;
  if (rules.kAnonymity !== undefined && rules.kAnonymity < K_ANONYMITY_FLOOR && !user.isSuperAdmin)
    throw new DomainRuleError(
      `kAnonymity: at least ${K_ANONYMITY_FLOOR} (below it a report can show single shoppers); only a super admin may set it lower`,
    );
  const timezoneChanged = timezone !== undefined && timezone !== store.timezone;
  const result = await db.$transaction(
    async (tx) => {
      // Daily rollups are store-local days: a new time zone rebuilds them from the hourly rows. The lock
      // (taken first) lets the worker's writes in flight finish and holds new ones until the new zone is in.
      if (timezoneChanged) await tx.$executeRaw`LOCK TABLE "HourlyRollup" IN SHARE MODE`;
      const before = await tx.storeSettings.upsert({
        where: { storeId: store.id },
        create: { storeId: store.id },
        update: {},
      });
      const beforeStore = await tx.store.findUniqueOrThrow({
        where: { id: store.id },
        select: { name: true, timezone: true },
      });
      const after = await tx.storeSettings.update({ where: { storeId: store.id }, data: rules });
      const afterStore =
        name !== undefined || timezone !== undefined
          ? await tx.store.update({
              where: { id: store.id },
              data: { name, timezone },
              select: { name: true, timezone: true },
            })
          : beforeStore;
      if (timezoneChanged) await rebuildDailyRollups(tx, store.id);
      const auditId = await writeAudit(tx, {
        storeId: store.id,
        userId: user.id,
        action: "settings.update",
        entity: "StoreSettings",
        entityId: store.id,
        before: { ...beforeStore, ...view(before) },
        after: { ...afterStore, ...view(after) },
      });
      return { before, after, auditId, store: { ...store, ...afterStore } };
    },
    // Rebuilding a large store's days takes seconds (10M interactions: ~400 k hourly rows).
    timezoneChanged ? { timeout: 120_000 } : undefined,
  );
  const { before, after } = result;
  const scoreInputsChanged =
    before.scoreWindowHours !== after.scoreWindowHours ||
    before.includeHesitation !== after.includeHesitation ||
    [...before.negativeExpressions].sort().join() !== [...after.negativeExpressions].sort().join();
  const flagChanges = scoreInputsChanged
    ? await redoFlags(ctx, "rescore", result.auditId)
    : before.minSample !== after.minSample
      ? await redoFlags(ctx, "redecide", result.auditId)
      : [];
  return { store: result.store, settings: view(result.after), flagChanges };
}
