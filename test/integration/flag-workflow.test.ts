import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { updateAlertSettings } from "../../packages/api/src/routers/flags/alert-settings.handler.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return (err as TRPCError).code;
}

describe("flag workflow: acknowledge, note, resolve, reopen (audited), and alert settings", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let other: WebStore;
  let admin: SessionUser;
  let merchandiser: SessionUser;
  let staff: SessionUser;
  let flagId: string;
  let otherFlagId: string;

  const raise = (store: WebStore) =>
    db.flag.create({
      data: {
        storeId: store.store.id,
        itemId: store.items.crisps.id,
        rate: 0.5,
        lower: 0.35,
        upper: 0.65,
        n: 40,
        negatives: 20,
        threshold: 0.2,
        thresholdLevel: "global",
        windowHours: 168,
      },
    });

  beforeAll(async () => {
    s = await createWebStore(db);
    other = await createWebStore(db);
    admin = await createUser(db, { role: "admin", storeId: s.store.id });
    merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    staff = await createUser(db, { role: "staff", storeId: s.store.id });
    flagId = (await raise(s)).id;
    otherFlagId = (await raise(other)).id;
  });

  afterAll(async () => {
    await db.user.deleteMany({ where: { id: { in: [admin.id, merchandiser.id, staff.id] } } });
    await dropWebStore(db, s);
    await dropWebStore(db, other);
    await db.$disconnect();
  });

  const input = () => ({ storeSlug: s.store.slug, flagId });
  const listed = async () => {
    const list = await callerAs(db, merchandiser).flags.list({ storeSlug: s.store.slug });
    return [...list.open, ...list.cleared].find((f) => f.flagId === flagId)!;
  };
  const audits = (action: string) =>
    db.auditLog.findMany({
      where: { storeId: s.store.id, action, entityId: flagId },
      orderBy: { createdAt: "asc" },
    });

  it("records who acknowledged, noted and resolved a flag, once each, in the audit log", async () => {
    expect((await listed()).status).toBe("new");
    const m = callerAs(db, merchandiser);
    expect(await m.flags.acknowledge(input())).toMatchObject({ status: "acknowledged", changed: true });
    expect(await m.flags.acknowledge(input())).toMatchObject({ status: "acknowledged", changed: false });
    expect(await audits("flag.acknowledge")).toHaveLength(1);

    await m.flags.note({ ...input(), note: "Supplier changed the recipe in week 9; asked for the old one." });
    const noted = await listed();
    expect(noted.note).toMatchObject({ by: merchandiser.name, text: expect.stringContaining("recipe") });
    // The audit log keeps the note's length, never its text.
    const [noteAudit] = await audits("flag.note");
    expect(JSON.stringify(noteAudit)).not.toContain("recipe");
    expect(noteAudit!.after).toMatchObject({ noteChars: 61 });

    await callerAs(db, admin).flags.resolve(input());
    const resolved = await listed();
    expect(resolved.status).toBe("resolved-open");
    expect(resolved.resolved!.by).toBe(admin.name);
    expect(resolved.acknowledged!.by).toBe(merchandiser.name); // resolve keeps the first acknowledgement
    expect(resolved.clearedAt).toBeNull(); // resolving is not clearing: the worker still holds it open
    const [resolveAudit] = await audits("flag.resolve");
    expect(resolveAudit).toMatchObject({
      userId: admin.id,
      before: { status: "acknowledged" },
      after: { status: "resolved-open", resolvedById: admin.id },
    });

    expect(await m.flags.reopen(input())).toMatchObject({ status: "acknowledged" });
  });

  it("keeps the workflow when the worker clears the flag, and cannot reopen a cleared one", async () => {
    await callerAs(db, merchandiser).flags.resolve(input());
    await db.flag.update({ where: { id: flagId }, data: { clearedAt: new Date() } });
    const cleared = await listed();
    expect(cleared.status).toBe("cleared");
    expect(cleared.resolved).not.toBeNull();
    expect(await code(callerAs(db, merchandiser).flags.reopen(input()))).toBe("BAD_REQUEST");
  });

  it("is for the store's merchandisers and admins, on the store's own flags", async () => {
    expect(await code(callerAs(db, staff).flags.acknowledge(input()))).toBe("FORBIDDEN");
    expect(await code(callerAs(db, null).flags.list({ storeSlug: s.store.slug }))).toBe("UNAUTHORIZED");
    expect(
      await code(
        callerAs(db, merchandiser).flags.acknowledge({ storeSlug: s.store.slug, flagId: otherFlagId }),
      ),
    ).toBe("NOT_FOUND");
    expect((await db.flag.findUniqueOrThrow({ where: { id: otherFlagId } })).acknowledgedAt).toBeNull();
    expect(await code(callerAs(db, merchandiser).flags.note({ ...input(), note: "x".repeat(1001) }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("lets admins set recipients and a webhook that passes the target policy, with a generated secret", async () => {
    const base = {
      storeSlug: s.store.slug,
      enabled: true,
      emailRecipients: ["Buyer@Test.example"],
      webhookAllowlist: [],
    };
    expect(
      await code(callerAs(db, merchandiser).flags.updateAlertSettings({ ...base, webhookUrl: null })),
    ).toBe("FORBIDDEN");
    // Loopback, private and metadata addresses are refused unless allowlisted; http only to allowlisted hosts.
    for (const webhookUrl of [
      "http://127.0.0.1:9/x",
      "https://169.254.169.254/latest",
      "https://10.0.0.5/hook",
      "ftp://x.example/",
    ])
      expect(await code(callerAs(db, admin).flags.updateAlertSettings({ ...base, webhookUrl }))).toBe(
        "BAD_REQUEST",
      );
    const saved = await callerAs(db, admin).flags.updateAlertSettings({
      ...base,
      webhookUrl: "http://127.0.0.1:9/x",
      webhookAllowlist: ["127.0.0.1/32"],
    });
    expect(saved).toMatchObject({
      emailRecipients: ["buyer@test.example"],
      webhookUrl: "http://127.0.0.1:9/x",
    });
    expect(saved.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    // A public host over https needs no allowlist (resolved by a stub here: no network in tests).
    const ctx = { db, store: s.store, user: admin };
    const pub = await updateAlertSettings(
      { ctx, input: { ...base, webhookUrl: "https://hooks.example.com/shelf", webhookAllowlist: [] } },
      () => Promise.resolve(["93.184.216.34"]),
    );
    expect(pub.webhookSecret).toBe(saved.webhookSecret);
    const rotated = await callerAs(db, admin).flags.rotateWebhookSecret({ storeSlug: s.store.slug });
    expect(rotated.webhookSecret).not.toBe(saved.webhookSecret);
    const log = await db.auditLog.findMany({ where: { storeId: s.store.id, entity: "alertSettings" } });
    expect(log.map((l) => l.action).sort()).toEqual([
      "alertSettings.create",
      "alertSettings.rotateSecret",
      "alertSettings.update",
    ]);
    expect(JSON.stringify(log)).not.toContain(saved.webhookSecret!);
  });
});
