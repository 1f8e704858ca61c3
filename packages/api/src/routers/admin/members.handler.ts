import type { Role } from "@shelf/db";
import { ConflictError, DomainRuleError, NotFoundError, type StoreContext } from "../../trpc.ts";
import { writeAudit, type DbOrTx } from "../../audit.ts";
import { createPasswordUser } from "../../auth/users.ts";
import type { AddMemberInput, RemoveMemberInput, StoreInput, UpdateMemberInput } from "./schemas.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

export interface MemberView {
  membershipId: string;
  role: Role;
  user: { id: string; email: string; name: string; isSuperAdmin: boolean };
  since: Date;
}

/** Who has which role in the store. */
export async function listMembers({
  ctx,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: StoreInput;
}): Promise<MemberView[]> {
  const rows = await ctx.db.membership.findMany({
    where: { storeId: ctx.store.id },
    include: { user: { select: { id: true, email: true, name: true, isSuperAdmin: true } } },
    orderBy: [{ role: "asc" }, { user: { email: "asc" } }],
  });
  return rows.map((m) => ({ membershipId: m.id, role: m.role, user: m.user, since: m.createdAt }));
}

/**
 * Gives someone a role in the store: a new account (name and first password), or the existing account with
 * that email, which keeps its own name and password (never reset here). Audited; the password never is.
 *
 * A store admin gets the same answer whether or not the email has an account: name and first password are
 * required either way, so the form cannot be used to probe who has an account anywhere on the install
 * (before, an email alone was added when it had one and refused when not). Super admins, who see every
 * account anyway, may add an existing account by email alone.
 */
export async function addMember({ ctx, input }: { ctx: Ctx; input: AddMemberInput }): Promise<MemberView> {
  const { db, store, user } = ctx;
  if ((!input.name || !input.password) && !user.isSuperAdmin)
    throw new DomainRuleError(
      "name and first password: required (they make a new account; an email that already has one keeps its own name and password)",
    );
  return db.$transaction(async (tx) => {
    let target = await tx.user.findUnique({
      where: { email: input.email },
      select: { id: true, email: true, name: true, isSuperAdmin: true },
    });
    const created = !target;
    if (!target) {
      if (!input.name || !input.password)
        throw new DomainRuleError(
          `no account for ${input.email} yet: give a name and a first password to create one`,
        );
      target = await createPasswordUser(tx, {
        email: input.email,
        name: input.name,
        password: input.password,
      });
    }
    const existing = await tx.membership.findUnique({
      where: { userId_storeId: { userId: target.id, storeId: store.id } },
    });
    if (existing) throw new ConflictError(`${input.email} already has the ${existing.role} role here`);
    const m = await tx.membership.create({
      data: { userId: target.id, storeId: store.id, role: input.role },
    });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "membership.create",
      entity: "Membership",
      entityId: m.id,
      after: { email: target.email, role: m.role, accountCreated: created },
    });
    return { membershipId: m.id, role: m.role, user: target, since: m.createdAt };
  });
}

async function membership(tx: DbOrTx, storeId: string, membershipId: string) {
  const m = await tx.membership.findUnique({
    where: { id: membershipId },
    include: { user: { select: { email: true } } },
  });
  if (!m || m.storeId !== storeId) throw new NotFoundError(`membership "${membershipId}"`);
  return m;
}

/** A store keeps at least one admin of its own (super admins aside), unless a super admin decides otherwise. */
async function assertAdminRemains(tx: DbOrTx, ctx: Ctx, leaving: { id: string; role: Role }) {
  if (leaving.role !== "admin" || ctx.user.isSuperAdmin) return;
  const admins = await tx.membership.count({
    where: { storeId: ctx.store.id, role: "admin", id: { not: leaving.id } },
  });
  if (admins === 0)
    throw new DomainRuleError("a store needs at least one admin: make someone else admin first");
}

export async function updateMember({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: UpdateMemberInput;
}): Promise<{ role: Role }> {
  return ctx.db.$transaction(async (tx) => {
    const m = await membership(tx, ctx.store.id, input.membershipId);
    if (m.role === input.role) return { role: m.role };
    await assertAdminRemains(tx, ctx, m);
    const after = await tx.membership.update({ where: { id: m.id }, data: { role: input.role } });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: "membership.update",
      entity: "Membership",
      entityId: m.id,
      before: { email: m.user.email, role: m.role },
      after: { email: m.user.email, role: after.role },
    });
    return { role: after.role };
  });
}

export async function removeMember({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RemoveMemberInput;
}): Promise<{ removed: true }> {
  return ctx.db.$transaction(async (tx) => {
    const m = await membership(tx, ctx.store.id, input.membershipId);
    await assertAdminRemains(tx, ctx, m);
    await tx.membership.delete({ where: { id: m.id } });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: "membership.delete",
      entity: "Membership",
      entityId: m.id,
      before: { email: m.user.email, role: m.role },
    });
    return { removed: true as const };
  });
}
