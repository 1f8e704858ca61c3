import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { userFromHeaders } from "@shelf/api/auth/instance";
import type { SessionUser } from "@shelf/api/auth/session-user";

/** The signed-in user of the request being rendered, once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => userFromHeaders(await headers()));
