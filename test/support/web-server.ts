import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { ROOT } from "../setup/env.ts";

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/**
 * Starts the built web app as production runs it (`npm run start -w @shelf/web`: Next behind
 * apps/web/scripts/server.mjs, which tells the app each socket's peer address) against a database; resolves
 * once it answers.
 */
export async function startWebServer(
  env: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "apps/web/scripts/server.mjs")], {
    cwd: path.join(ROOT, "apps/web"),
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Everything the server prints is kept for a failed test's post-mortem (test-results/logs/web-<port>.log).
  const logDir = path.join(ROOT, "test-results", "logs");
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `web-${port}.log`));
  let output = "";
  const keep = (d: Buffer) => {
    if (output.length < 64_000) output += d;
    log.write(d);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  child.once("exit", () => log.end());
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `web server exited (${child.exitCode}). Was the app built (npm run build -w @shelf/web)?\n${output}`,
      );
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`web app did not start in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
