import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { HomographyError } from "@shelf/core";
import type { Db, Role } from "@shelf/db";
import type { SessionUser } from "./auth/session-user.ts";
import { RescoreUnavailableError, type RescoreRequester } from "./flags/rescore.ts";
import { ADMIN_ROLES, MEMBER_ROLES, REPORT_ROLES, STAFF_ROLES } from "./roles.ts";

export interface Context {
  db: Db;
  /** The signed-in user; null for anonymous callers (shoppers, signed-out browsers). */
  user: SessionUser | null;
  /**
   * Has the worker redo a store's scores or flags and waits for its answer (`flags/rescore.ts`). Absent
   * (scripts, some tests): rule changes are saved and answer SERVICE_UNAVAILABLE for their effect.
   */
  requestRescore?: RescoreRequester;
}

/** The store a store procedure runs in, resolved from `input.storeSlug` by the role check. */
export interface StoreRef {
  id: string;
  slug: string;
  name: string;
  /** IANA zone: reports bucket hours and days in it. */
  timezone: string;
}

/** What handlers of store procedures receive: the caller, their role in the store, and the store. */
export interface StoreContext {
  db: Db;
  user: SessionUser;
  store: StoreRef;
  role: Role;
  requestRescore?: RescoreRequester;
}

/**
 * One invalid input field as a form needs it to say what is wrong in plain words (`apps/web` maps the code
 * and bounds to a sentence; `message` is kept for rules that wrote their own). The input value is left out.
 */
export interface FieldIssue {
  /** Input path, e.g. `["polygon", 3]`; empty for the whole form. */
  path: (string | number)[];
  /** zod issue code ("too_small", "invalid_type", …) or "custom" for domain rules. */
  code: string;
  message: string;
  origin?: string;
  expected?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
}

function fieldIssues(cause: unknown): FieldIssue[] | null {
  if (cause instanceof ZodError)
    return cause.issues.map((i) => {
      const bounds = i as { origin?: string; expected?: string; format?: string; inclusive?: boolean };
      const num = (v: unknown) => (typeof v === "number" || typeof v === "bigint" ? Number(v) : undefined);
      return {
        path: i.path.filter((p): p is string | number => typeof p !== "symbol"),
        code: i.code,
        message: i.message,
        origin: bounds.origin,
        expected: bounds.expected,
        format: bounds.format,
        minimum: "minimum" in i ? num(i.minimum) : undefined,
        maximum: "maximum" in i ? num(i.maximum) : undefined,
        inclusive: bounds.inclusive,
      };
    });
  if (cause instanceof DomainRuleError && cause.path)
    return [{ path: cause.path, code: "custom", message: cause.message }];
  return null;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? error.cause.flatten() : null,
        issues: fieldIssues(error.cause),
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain "not found" errors from handlers become 404s. */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/**
 * A request that is well-formed but breaks a domain rule (e.g. removing a store's last admin): 400. With
 * `path`, the input field at fault (e.g. `["polygon", 3]`): forms show the message beside that field, so
 * write it as a plain sentence.
 */
export class DomainRuleError extends Error {
  constructor(
    message: string,
    readonly path?: (string | number)[],
  ) {
    super(message);
    this.name = "DomainRuleError";
  }
}

/** The request raced another change (e.g. two calibrations saved at once): 409, try again. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

/** Invalid input as sentences ("polygon: polygon edges must not cross each other"), not JSON. */
function readable(error: ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof ZodError)
    throw new TRPCError({ code: "BAD_REQUEST", message: readable(cause), cause });
  const code =
    cause instanceof NotFoundError
      ? "NOT_FOUND"
      : cause instanceof ConflictError
        ? "CONFLICT"
        : cause instanceof DomainRuleError || cause instanceof HomographyError
          ? "BAD_REQUEST"
          : cause instanceof RescoreUnavailableError
            ? "SERVICE_UNAVAILABLE"
            : null;
  if (code) throw new TRPCError({ code, message: cause!.message, cause });
  return result;
});

/**
 * No sign-in needed. Only for what shoppers may see (the survey) and what has no data behind it: every
 * report, editor and setting is behind a role procedure below.
 */
export const publicProcedure = t.procedure.use(mapDomainErrors);

/** Any signed-in user (their own profile, the stores they belong to). */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Store slugs: what every store procedure's input carries. */
export const ZStoreSlug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes");

/**
 * A procedure scoped to one store (`input.storeSlug`) that only `roles` of that store may call; super admins
 * count as admins of every store. A store that does not exist answers FORBIDDEN like one the caller has no
 * role in (no probing for store names), except to super admins, who get NOT_FOUND.
 */
function storeProcedure(roles: readonly Role[]) {
  return authedProcedure.input(z.object({ storeSlug: ZStoreSlug })).use(async ({ ctx, input, next }) => {
    const found = await ctx.db.store.findUnique({
      where: { slug: input.storeSlug },
      select: {
        id: true,
        slug: true,
        name: true,
        timezone: true,
        memberships: { where: { userId: ctx.user.id }, select: { role: true } },
      },
    });
    if (!found && ctx.user.isSuperAdmin)
      throw new TRPCError({ code: "NOT_FOUND", message: `store "${input.storeSlug}" not found` });
    const role: Role | null = ctx.user.isSuperAdmin ? "admin" : (found?.memberships[0]?.role ?? null);
    if (!found || !role || !roles.includes(role))
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `this needs the ${roles.join(" or ")} role in store "${input.storeSlug}"`,
      });
    const { memberships: _, ...store } = found;
    return next({ ctx: { ...ctx, store, role } });
  });
}

/** Any role in the store (the store's name and your role in it, for navigation). */
export const memberProcedure = storeProcedure(MEMBER_ROLES);
/** Reports, maps, live view, sales import: merchandisers and admins. */
export const merchandiserProcedure = storeProcedure(REPORT_ROLES);
/** Cameras, calibration, zones and planograms: staff and admins. */
export const staffProcedure = storeProcedure(STAFF_ROLES);
/** Rules, retention, members and the audit log of a store: admins. */
export const adminProcedure = storeProcedure(ADMIN_ROLES);

/** Across stores: creating stores, every user, granting super admin. */
export const superAdminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isSuperAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "super admins only" });
  return next({ ctx });
});
