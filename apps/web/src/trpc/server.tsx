import "server-only";
import { dehydrate, HydrationBoundary, type FetchQueryOptions } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { createContext } from "@shelf/api/context";
import { appRouter, createCaller } from "@shelf/api/root";
import { createQueryClient } from "./query-client";

const context = cache(async () => createContext(await headers()));

/** Server components call procedures directly (no HTTP hop), as the signed-in user of the request. */
export const api = cache(() => createCaller(context));

/** One query client per request. */
export const getQueryClient = cache(createQueryClient);

/** Query options on the server, to prefetch what client components then read from the cache. */
export const trpc = createTRPCOptionsProxy({ router: appRouter, ctx: context, queryClient: getQueryClient });

/** Fetches a query into the request's cache (awaited: the page renders complete, no client waterfall). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any procedure's query options
export async function prefetch(...queries: FetchQueryOptions<any, any, any, any>[]): Promise<void> {
  await Promise.all(queries.map((q) => getQueryClient().prefetchQuery(q)));
}

/** Hands the request's prefetched queries to the client components below. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
