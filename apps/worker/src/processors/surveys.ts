import type { Logger } from "pino";
import { invalidJobReason, ZFlagRaisedJob } from "@shelf/core";
import type { Db } from "@shelf/db";
import { JobRejected } from "./rejected.ts";

/**
 * The survey hand-off: a raised flag activates the item's survey (the survey engine treats an open flag as an
 * active survey; kiosks and QR codes pick it up). Here it is confirmed and logged, or found stale.
 */
export async function processFlagRaised(
  deps: { db: Db; logger: Logger },
  data: unknown,
): Promise<{ active: boolean }> {
  const parsed = ZFlagRaisedJob.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("survey hand-off", parsed.error), "invalid");
  const flag = await deps.db.flag.findUnique({ where: { id: parsed.data.flagId } });
  const active = flag !== null && flag.clearedAt === null;
  deps.logger.info(
    { ...parsed.data, active },
    active ? "survey active for flagged item" : "flag already cleared",
  );
  return { active };
}
