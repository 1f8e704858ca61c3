import { createTRPCRouter, superAdminProcedure } from "../trpc.ts";
import {
  createStore,
  createUser,
  listStores,
  listUsers,
  resetPassword,
  setSuperAdmin,
} from "./platform/platform.handler.ts";
import {
  ZCreateStoreInput,
  ZCreateUserInput,
  ZResetPasswordInput,
  ZSetSuperAdminInput,
} from "./platform/schemas.ts";

/** Across stores (super admins): stores, accounts, super admin rights. */
export const platformRouter = createTRPCRouter({
  stores: superAdminProcedure.query(listStores),
  createStore: superAdminProcedure.input(ZCreateStoreInput).mutation(createStore),
  users: superAdminProcedure.query(listUsers),
  createUser: superAdminProcedure.input(ZCreateUserInput).mutation(createUser),
  setSuperAdmin: superAdminProcedure.input(ZSetSuperAdminInput).mutation(setSuperAdmin),
  resetPassword: superAdminProcedure.input(ZResetPasswordInput).mutation(resetPassword),
});
