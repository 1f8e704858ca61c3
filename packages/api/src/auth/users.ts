import { hashPassword } from "better-auth/crypto";
import type { DbOrTx } from "../audit.ts";

/** better-auth's provider id for email + password accounts. */
export const CREDENTIAL_PROVIDER = "credential";

/** Emails are stored and looked up lower-case (better-auth lower-cases them at sign-in). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates a user who signs in with email + password (an Account of better-auth's `credential` provider with
 * its scrypt hash), as better-auth's own sign-up would. Sign-up is closed: accounts are made here, by admins
 * and seeds.
 */
export async function createPasswordUser(
  db: DbOrTx,
  input: { email: string; name: string; password: string; isSuperAdmin?: boolean },
): Promise<{ id: string; email: string; name: string; isSuperAdmin: boolean }> {
  const hash = await hashPassword(input.password);
  const user = await db.user.create({
    data: {
      email: normaliseEmail(input.email),
      name: input.name,
      emailVerified: true,
      isSuperAdmin: input.isSuperAdmin ?? false,
    },
    select: { id: true, email: true, name: true, isSuperAdmin: true },
  });
  await db.account.create({
    data: { userId: user.id, accountId: user.id, providerId: CREDENTIAL_PROVIDER, password: hash },
  });
  return user;
}

/** Sets (or resets) a user's password, creating their credential account if they had none. */
export async function setPassword(db: DbOrTx, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await db.account.upsert({
    where: { providerId_accountId: { providerId: CREDENTIAL_PROVIDER, accountId: userId } },
    create: { userId, accountId: userId, providerId: CREDENTIAL_PROVIDER, password: hash },
    update: { password: hash },
  });
}
