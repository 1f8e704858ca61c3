/** Who is signed in, as the tRPC context and pages see it. Roles are looked up per store (Membership). */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  /** Admin of every store, and the only one who may create stores and grant super admin. */
  isSuperAdmin: boolean;
}
