import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { logger } from "@shelf/api/logger";

/**
 * MapLibre's web worker, served by the app itself (no CDN: the map works offline). The client points
 * maplibre at it with setWorkerUrl (see components/store-map/map-library.ts).
 */
const RELATIVE = "node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs";
let cached: Promise<string> | undefined;

function locate(): string {
  // npm workspaces hoist packages: look up from the app's folder to the repository root.
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${RELATIVE} not found above ${process.cwd()}`);
  }
}

export async function GET(): Promise<Response> {
  cached ??= readFile(locate(), "utf8");
  try {
    return new Response(await cached, {
      headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
    });
  } catch (err) {
    cached = undefined;
    logger().error(
      { err: err instanceof Error ? err.message : String(err) },
      "maplibre worker file unavailable",
    );
    return new Response("maplibre worker not found", { status: 500 });
  }
}
