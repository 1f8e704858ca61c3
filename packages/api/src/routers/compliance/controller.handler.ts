import type { StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import type { ControllerFacts } from "./facts.ts";
import type { ComplianceStoreInput, UpdateControllerInput } from "./schemas.ts";

const select = { controllerName: true, controllerContact: true, dpoContact: true } as const;

const view = (s: {
  controllerName: string | null;
  controllerContact: string | null;
  dpoContact: string | null;
}) => ({
  name: s.controllerName,
  contact: s.controllerContact,
  dpo: s.dpoContact,
});

/** Who runs the cameras in the store (admins, for the form). */
export async function getController({
  ctx,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: ComplianceStoreInput;
}): Promise<ControllerFacts> {
  return view(await ctx.db.store.findUniqueOrThrow({ where: { id: ctx.store.id }, select }));
}

/** Sets who runs the cameras (empty fields clear), audited with before and after. */
export async function updateController({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store" | "user">;
  input: UpdateControllerInput;
}): Promise<ControllerFacts> {
  const { db, store, user } = ctx;
  return db.$transaction(async (tx) => {
    const before = await tx.store.findUniqueOrThrow({ where: { id: store.id }, select });
    const after = await tx.store.update({
      where: { id: store.id },
      data: {
        controllerName: input.controllerName,
        controllerContact: input.controllerContact,
        dpoContact: input.dpoContact,
      },
      select,
    });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "controller.update",
      entity: "Store",
      entityId: store.id,
      before: view(before),
      after: view(after),
    });
    return view(after);
  });
}
