import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/** One per request on the server, one per tab in the browser. Data crosses the boundary through superjson. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Prefetched data is fresh for 30 s: the browser does not refetch what the server just rendered.
        staleTime: 30_000,
        retry: (count, error) =>
          count < 2 &&
          !/UNAUTHORIZED|FORBIDDEN|NOT_FOUND|BAD_REQUEST/.test(
            String((error as { data?: { code?: string } }).data?.code),
          ),
      },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
