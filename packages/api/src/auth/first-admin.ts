import { z } from "zod";
import type { Db } from "@shelf/db";
import { MIN_PASSWORD_LENGTH } from "./config.ts";
import { isDemoEmail } from "./demo-users.ts";
import { createPasswordUser, normaliseEmail } from "./users.ts";

/** The first administrator of a real install, as the operator types it. */
export const ZFirstAdminInput = z
  .object({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .email("email: not an email address")
      .max(254)
      .refine((e) => !isDemoEmail(e), "email: that is a demo account's public address"),
    name: z.string().trim().min(1, "name: required").max(100),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `password: at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(128, "password: at most 128 characters"),
  })
  .strict();
export type FirstAdminInput = z.infer<typeof ZFirstAdminInput>;

/** Why the first admin was not created: the install has one, or the email is taken. */
export class FirstAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FirstAdminError";
  }
}

/** Any key for pg_advisory_xact_lock that no other code uses: serialises two setups run at once. */
const FIRST_ADMIN_LOCK = 0x5e1f_ad01;

/**
 * Creates the install's first super admin with the password the operator chose. One time only: refuses once
 * any super admin exists, and never touches an existing account (no password reset, no grant): a later admin
 * is added in the app, by an admin.
 */
export async function createFirstAdmin(
  db: Db,
  input: FirstAdminInput,
): Promise<{ id: string; email: string }> {
  const { email, name, password } = ZFirstAdminInput.parse(input);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`;
    if (await tx.user.count({ where: { email: normaliseEmail(email) } }))
      throw new FirstAdminError(`${email} already has an account; it is left as it is: choose another email`);
    if (await tx.user.count({ where: { isSuperAdmin: true } }))
      throw new FirstAdminError(
        "this install already has a super admin: sign in as them and add people in the app (admin:create is for the first one only)",
      );
    const user = await createPasswordUser(tx, { email, name, password, isSuperAdmin: true });
    return { id: user.id, email: user.email };
  });
}
