import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_TRPC_BATCH, MAX_TRPC_BODY_BYTES } from "~/lib/trpc-limits";
import { createContext } from "@shelf/api/context";
import { appRouter } from "@shelf/api/root";
import { logger } from "@shelf/api/logger";

/** A refusal in tRPC's error shape, so the client shows the message. */
function refuse(status: 400 | 413, message: string): Response {
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
  return Response.json(
    { error: { json: { message, code: -32600, data: { code, httpStatus: status } } } },
    { status },
  );
}

/**
 * The body, read up to {@link MAX_TRPC_BODY_BYTES} and no further (a declared Content-Length over it is refused
 * before reading; a body that only turns out too long stops being read there), or a 413.
 */
async function boundedBody(req: Request): Promise<Buffer | Response> {
  const tooLarge = () =>
    refuse(413, `request body over ${MAX_TRPC_BODY_BYTES / (1024 * 1024)} MiB: send less at once`);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_TRPC_BODY_BYTES) return tooLarge();
  if (!req.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_TRPC_BODY_BYTES) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function handler(req: Request, { params }: { params: Promise<{ trpc: string }> }) {
  const url = new URL(req.url);
  if (url.searchParams.get("batch") === "1") {
    const procedures = (await params).trpc.split(",").length;
    if (procedures > MAX_TRPC_BATCH)
      return refuse(400, `batch of ${procedures} procedures: at most ${MAX_TRPC_BATCH} per request`);
  }
  let request = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = await boundedBody(req);
    if (body instanceof Response) return body;
    request = new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: MAX_TRPC_BATCH,
    createContext: () => createContext(request.headers),
    onError: ({ path, error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        logger().error({ err: error, path: path ?? "?" }, "tRPC procedure failed");
    },
  });
}

export { handler as GET, handler as POST };
