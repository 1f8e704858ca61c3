import "server-only";
import { cache } from "react";
import { createCaller } from "~/server/api/root";
import { db } from "~/server/db";

/** Server components call procedures directly (no HTTP hop), once per request. */
export const api = cache(() => createCaller({ db: db() }));
