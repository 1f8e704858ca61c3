import type { Context } from "../../trpc.ts";
import { ConflictError, DomainRuleError, NotFoundError } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import type { SessionUser } from "../../auth/session-user.ts";
import { createPasswordUser, setPassword } from "../../auth/users.ts";
import {
  type CreateStoreInput,
  type CreateUserInput,
  type ResetPasswordInput,
  type SetSuperAdminInput,
} from "./schemas.ts";

type Ctx = Pick<Context, "db"> & { user: SessionUser };

/** Every store with its size (super admins). */
export async function listStores({ ctx }: { ctx: Ctx }) {
  const stores = await ctx.db.store.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      timezone: true,
      createdAt: true,
      _count: { select: { cameras: true, zones: true, memberships: true } },
    },
  });
  return stores.map(({ _count, ...s }) => ({
    ...s,
    cameras: _count.cameras,
    zones: _count.zones,
    members: _count.memberships,
  }));
}

/** Opens a store with its settings (defaults) and first floor plan. Audited. */
export async function createStore({ ctx, input }: { ctx: Ctx; input: CreateStoreInput }) {
  const { db, user } = ctx;
  if (await db.store.findUnique({ where: { slug: input.slug }, select: { id: true } }))
    throw new ConflictError(`a store with the address "${input.slug}" exists already`);
  return db.$transaction(async (tx) => {
    const store = await tx.store.create({
      data: {
        slug: input.slug,
        name: input.name,
        timezone: input.timezone,
        settings: { create: {} },
        floorPlans: { create: input.floorPlan },
      },
      select: { id: true, slug: true, name: true, timezone: true },
    });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "store.create",
      entity: "Store",
      entityId: store.id,
      after: { ...input },
    });
    return store;
  });
}

/** Every user with their roles (super admins). */
export async function listUsers({ ctx }: { ctx: Ctx }) {
  const users = await ctx.db.user.findMany({
    orderBy: { email: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      isSuperAdmin: true,
      createdAt: true,
      memberships: { select: { role: true, store: { select: { slug: true, name: true } } } },
    },
  });
  return users.map(({ memberships, ...u }) => ({
    ...u,
    roles: memberships.map((m) => ({ storeSlug: m.store.slug, storeName: m.store.name, role: m.role })),
  }));
}

export async function createUser({ ctx, input }: { ctx: Ctx; input: CreateUserInput }) {
  const { db, user } = ctx;
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } }))
    throw new ConflictError(`an account for ${input.email} exists already`);
  return db.$transaction(async (tx) => {
    const created = await createPasswordUser(tx, input);
    await writeAudit(tx, {
      storeId: null,
      userId: user.id,
      action: "user.create",
      entity: "User",
      entityId: created.id,
      after: { email: created.email, name: created.name, isSuperAdmin: created.isSuperAdmin },
    });
    return created;
  });
}

export async function setSuperAdmin({ ctx, input }: { ctx: Ctx; input: SetSuperAdminInput }) {
  const { db, user } = ctx;
  if (input.userId === user.id && !input.isSuperAdmin)
    throw new DomainRuleError("you cannot take super admin away from yourself: ask another super admin");
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({
      where: { id: input.userId },
      select: { email: true, isSuperAdmin: true },
    });
    if (!before) throw new NotFoundError(`user "${input.userId}"`);
    const after = await tx.user.update({
      where: { id: input.userId },
      data: { isSuperAdmin: input.isSuperAdmin },
      select: { id: true, email: true, isSuperAdmin: true },
    });
    await writeAudit(tx, {
      storeId: null,
      userId: user.id,
      action: "user.superAdmin",
      entity: "User",
      entityId: after.id,
      before,
      after: { email: after.email, isSuperAdmin: after.isSuperAdmin },
    });
    return after;
  });
}

/** Sets a new password and signs the user out everywhere. Audited (that it happened, never the password). */
export async function resetPassword({ ctx, input }: { ctx: Ctx; input: ResetPasswordInput }) {
  const { db, user } = ctx;
  const target = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true } });
  if (!target) throw new NotFoundError(`user "${input.userId}"`);
  await setPassword(db, target.id, input.password);
  await db.session.deleteMany({ where: { userId: target.id } });
  await writeAudit(db, {
    storeId: null,
    userId: user.id,
    action: "user.resetPassword",
    entity: "User",
    entityId: target.id,
    after: { email: target.email },
  });
  return { reset: true as const };
}
