import { z } from "zod";
import { authedProcedure, createTRPCRouter, memberProcedure, ZStoreSlug } from "../trpc.ts";
import { me, storeAccess } from "./session/session.handler.ts";

export const sessionRouter = createTRPCRouter({
  me: authedProcedure.query(me),
  storeAccess: memberProcedure.input(z.object({ storeSlug: ZStoreSlug }).strict()).query(storeAccess),
});
