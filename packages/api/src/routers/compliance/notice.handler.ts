import type { Context } from "../../trpc.ts";
import { loadComplianceFacts, type ComplianceFacts } from "./facts.ts";
import type { ComplianceStoreInput } from "./schemas.ts";

/**
 * What a store's public privacy notice shows: the controller, counts and names of what is analysed, the
 * store's retention and k, and the model's measured accuracy. No camera names or addresses, no people.
 */
export interface PrivacyNotice {
  store: { slug: string; name: string; timezone: string };
  controller: ComplianceFacts["controller"];
  /** Cameras that analyse expressions now (enabled), and all registered. */
  cameras: { analysing: number; registered: number };
  /** Names of the shelf zones whose shoppers' expressions are estimated, and of the excluded staff-only zones. */
  zones: { analysed: string[]; staffOnly: string[] };
  rules: Pick<ComplianceFacts["rules"], "retentionDays" | "k">;
  fixed: ComplianceFacts["fixed"];
  /** Kiosks that may invite shoppers to the survey (QR shelf signs are possible in every store). */
  survey: { activeKiosks: number };
  model: ComplianceFacts["model"];
  updatedAt: Date;
}

/** The public privacy notice of a store; an unknown store is NOT_FOUND. Reads only (anyone may call it). */
export async function getPrivacyNotice({
  ctx,
  input,
}: {
  ctx: Pick<Context, "db">;
  input: ComplianceStoreInput;
}): Promise<PrivacyNotice> {
  const f = await loadComplianceFacts(ctx.db, input.storeSlug);
  return {
    store: { slug: f.store.slug, name: f.store.name, timezone: f.store.timezone },
    controller: f.controller,
    cameras: { analysing: f.cameras.filter((c) => c.enabled).length, registered: f.cameras.length },
    zones: {
      analysed: f.zones.filter((z) => !z.staffOnly).map((z) => z.name),
      staffOnly: f.zones.filter((z) => z.staffOnly).map((z) => z.name),
    },
    rules: { retentionDays: f.rules.retentionDays, k: f.rules.k },
    fixed: f.fixed,
    survey: { activeKiosks: f.survey.activeKiosks },
    model: f.model,
    updatedAt: f.updatedAt,
  };
}
