import { DEFAULT_CROP_TTL_MS, EXPRESSIONS, type Expression } from "@shelf/core";
import {
  AUDIT_RETENTION_DAYS,
  ROLLUP_HOURLY_DAYS,
  SNAPSHOT_RETENTION_DAYS,
  UNUSED_INVITE_DAYS,
  storeRules,
  type Db,
} from "@shelf/db";
import { NotFoundError } from "../../trpc.ts";
import { EXPRESSION_MODEL, type ExpressionModelFacts } from "./model-card.ts";

/** Who runs the cameras (the controller); each field null until an admin fills it in. */
export interface ControllerFacts {
  name: string | null;
  contact: string | null;
  dpo: string | null;
}

/**
 * Everything the system itself knows about a store's processing, read from the database at the moment of
 * asking: the single source of the privacy notice, the entrance sign and the DPIA export. Camera source URLs
 * are never part of it.
 */
export interface ComplianceFacts {
  store: { id: string; slug: string; name: string; timezone: string };
  controller: ControllerFacts;
  cameras: { name: string; enabled: boolean; floorPlan: string; analysisFps: number; calibrated: boolean }[];
  zones: { name: string; floorPlan: string; staffOnly: boolean }[];
  rules: {
    /** Interactions and survey answers older than this are deleted, days. */
    retentionDays: number;
    /** Report cells with fewer interactions show their count only. */
    k: number;
    /** Rolling window of rejection scores, hours. */
    windowHours: number;
    minSample: number;
    negative: Expression[];
    includeHesitation: boolean;
  };
  /** Fixed periods of the retention job (`@shelf/db` retention.ts), days; and the crop time-to-live, ms. */
  fixed: {
    rollupHourlyDays: number;
    snapshotDays: number;
    auditDays: number;
    unusedInviteDays: number;
    cropTtlMs: number;
  };
  survey: { activeKiosks: number; activeTemplates: number };
  /** People with a role in the store (who may see its reports or settings), by role. */
  access: { admin: number; merchandiser: number; staff: number };
  model: ExpressionModelFacts;
  /** The newest change to the store, its settings, cameras or zones: when these facts last changed. */
  updatedAt: Date;
}

const latest = (dates: (Date | null | undefined)[]): Date =>
  new Date(Math.max(...dates.map((d) => d?.getTime() ?? 0)));

/** Reads a store's compliance facts by slug; an unknown slug throws {@link NotFoundError}. */
export async function loadComplianceFacts(db: Db, storeSlug: string): Promise<ComplianceFacts> {
  const store = await db.store.findUnique({
    where: { slug: storeSlug },
    select: {
      id: true,
      slug: true,
      name: true,
      timezone: true,
      controllerName: true,
      controllerContact: true,
      dpoContact: true,
      updatedAt: true,
    },
  });
  if (!store) throw new NotFoundError(`store "${storeSlug}"`);
  const [rules, settings, cameras, zones, activeKiosks, activeTemplates, roles] = await Promise.all([
    storeRules(db, store.id),
    db.storeSettings.findUnique({ where: { storeId: store.id }, select: { updatedAt: true } }),
    db.camera.findMany({
      where: { storeId: store.id },
      orderBy: { name: "asc" },
      select: {
        name: true,
        enabled: true,
        analysisFps: true,
        updatedAt: true,
        floorPlan: { select: { name: true } },
        _count: { select: { calibrations: true } },
      },
    }),
    db.shelfZone.findMany({
      where: { storeId: store.id },
      orderBy: { name: "asc" },
      select: { name: true, staffOnly: true, updatedAt: true, floorPlan: { select: { name: true } } },
    }),
    db.kiosk.count({ where: { storeId: store.id, revokedAt: null } }),
    db.surveyTemplate.count({ where: { active: true } }),
    db.membership.groupBy({ by: ["role"], where: { storeId: store.id }, _count: { _all: true } }),
  ]);
  const byRole = (role: string) => roles.find((r) => r.role === role)?._count._all ?? 0;
  return {
    store: { id: store.id, slug: store.slug, name: store.name, timezone: store.timezone },
    controller: { name: store.controllerName, contact: store.controllerContact, dpo: store.dpoContact },
    cameras: cameras.map((c) => ({
      name: c.name,
      enabled: c.enabled,
      floorPlan: c.floorPlan.name,
      analysisFps: c.analysisFps,
      calibrated: c._count.calibrations > 0,
    })),
    zones: zones.map((z) => ({ name: z.name, floorPlan: z.floorPlan.name, staffOnly: z.staffOnly })),
    rules: {
      retentionDays: rules.retentionDays,
      k: rules.k,
      windowHours: rules.windowHours,
      minSample: rules.minSample,
      negative: EXPRESSIONS.filter((e) => rules.negative.has(e)),
      includeHesitation: rules.includeHesitation,
    },
    fixed: {
      rollupHourlyDays: ROLLUP_HOURLY_DAYS,
      snapshotDays: SNAPSHOT_RETENTION_DAYS,
      auditDays: AUDIT_RETENTION_DAYS,
      unusedInviteDays: UNUSED_INVITE_DAYS,
      cropTtlMs: DEFAULT_CROP_TTL_MS,
    },
    survey: { activeKiosks, activeTemplates },
    access: { admin: byRole("admin"), merchandiser: byRole("merchandiser"), staff: byRole("staff") },
    model: EXPRESSION_MODEL,
    updatedAt: latest([
      store.updatedAt,
      settings?.updatedAt,
      ...cameras.map((c) => c.updatedAt),
      ...zones.map((z) => z.updatedAt),
    ]),
  };
}
