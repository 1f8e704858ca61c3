/**
 * What one tRPC request may carry (checked by app/api/trpc/[trpc]/route.ts; the client's batch link splits
 * at the same batch size). Client-safe: no server imports.
 */

/** Procedures per batched request. The pages batch a handful at a time. */
export const MAX_TRPC_BATCH = 20;

/**
 * Request body, bytes. The largest legitimate input is a sales CSV (at most 4 M characters, see
 * routers/sales/schemas.ts) serialised as JSON, escapes included.
 */
export const MAX_TRPC_BODY_BYTES = 12 * 1024 * 1024;
