import { connection } from "next/server";
import { webEnv } from "@shelf/api/env";

/**
 * "Demo data" in the header while the web app runs in demo mode (SHELF_MODE=demo: seeded, generated data and
 * demo accounts with public passwords). Read per request, not at build time: a build may be served in either mode.
 */
export async function DemoBadge() {
  await connection();
  if (webEnv().SHELF_MODE !== "demo") return null;
  return (
    <span
      data-testid="demo-badge"
      title="Demo mode: generated demo data and demo accounts with public passwords (README, Demo data)"
      className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-300"
    >
      Demo data
    </span>
  );
}
