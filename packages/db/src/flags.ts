import { Prisma, type Flag } from "./generated/prisma/client.ts";

/** The name of the partial unique index: one open flag (clearedAt null) per store and item. */
export const OPEN_FLAG_INDEX = "Flag_storeId_itemId_open_key";

/** True for a unique violation, as Prisma reports it (P2002) or as the pg driver does (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError) return err.code === "P2002";
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Raises an item's flag in a store, inside an interactive transaction (`tx`), unless another process (a
 * worker re-deciding a whole store after a rule change, another scoring the item) raised it first: the partial unique index
 * {@link OPEN_FLAG_INDEX} lets only one open flag exist, and the loser gets the winner's flag back with
 * `created: false` — already flagged, nothing lost. The attempt runs under a savepoint, so the violation
 * leaves the rest of the caller's transaction intact.
 *
 * @throws the original error for anything else, including a unique violation with no open flag to show for
 *   it.
 */
export async function createOpenFlag(
  tx: Prisma.TransactionClient,
  data: Omit<Prisma.FlagUncheckedCreateInput, "clearedAt">,
): Promise<{ flag: Flag; created: boolean }> {
  await tx.$executeRaw`SAVEPOINT create_open_flag`;
  try {
    const flag = await tx.flag.create({ data });
    await tx.$executeRaw`RELEASE SAVEPOINT create_open_flag`;
    return { flag, created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT create_open_flag`;
    // Read committed: this statement sees the flag the other transaction committed.
    const flag = await tx.flag.findFirst({
      where: { storeId: data.storeId, itemId: data.itemId, clearedAt: null },
      orderBy: { raisedAt: "desc" },
    });
    if (!flag) throw err;
    return { flag, created: false };
  }
}
