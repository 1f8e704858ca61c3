import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./processes.ts";

const run = promisify(execFile);

/** A redis-server this test started on loopback (no persistence), and how to stop it. */
export interface TestRedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>` or `rediss://…` for a TLS-only server. */
  url: string;
  dir: string;
  /** What the server printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `redis-server` with `args` in a temp dir and waits for "Ready to accept connections". */
export async function startRedisServer(
  opts: { args?: string[]; tls?: TestCa; port?: number } = {},
): Promise<TestRedisServer> {
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), "shelf-redis-"));
  const tlsArgs = opts.tls
    ? [
        "--port",
        "0",
        "--tls-port",
        String(port),
        "--tls-cert-file",
        opts.tls.serverCert,
        "--tls-key-file",
        opts.tls.serverKey,
        "--tls-ca-cert-file",
        opts.tls.caCert,
        // Clients prove who they are with their ACL user and password, not a client certificate.
        "--tls-auth-clients",
        "no",
      ]
    : ["--port", String(port)];
  const proc: ChildProcess = spawn(
    "redis-server",
    [
      ...tlsArgs,
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      ...(opts.args ?? []),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  proc.stdout!.on("data", (d: Buffer) => (output += d));
  proc.stderr!.on("data", (d: Buffer) => (output += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 15_000);
    const check = () => {
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on("data", check);
    proc.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited:\n${output}`));
    });
  });
  return {
    port,
    url: `${opts.tls ? "rediss" : "redis"}://127.0.0.1:${port}`,
    dir,
    output: () => output,
    async stop() {
      proc.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway CA and a server certificate it signed for 127.0.0.1 / localhost (PEM files in a temp dir). */
export interface TestCa {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  remove(): void;
}

/** Makes a CA and a server certificate with `openssl` (RSA 2048, one day). */
export async function makeTestCa(): Promise<TestCa> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "shelf-ca-"));
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=Shelf test CA",
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
  );
  writeFileSync(f("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    f("server.key"),
    "-out",
    f("server.csr"),
    "-subj",
    "/CN=localhost",
  );
  await openssl(
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    f("san.ext"),
    "-out",
    f("server.pem"),
  );
  return {
    dir,
    caCert: f("ca.pem"),
    serverCert: f("server.pem"),
    serverKey: f("server.key"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A local Redis Cluster: `masters` redis-servers on loopback, slots spread by `redis-cli --cluster create`, and
 * `replicas` replicas per master (their replication link up before it resolves).
 */
export interface TestRedisCluster {
  /** Every node, masters and replicas (which is which: `CLUSTER NODES`; a failover swaps them). */
  nodes: TestRedisServer[];
  /** `host:port,…` as REDIS_CLUSTER_NODES takes it. */
  nodeList: string;
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3, replicas = 0): Promise<TestRedisCluster> {
  const nodes: TestRedisServer[] = [];
  try {
    for (let i = 0; i < masters * (1 + replicas); i++)
      nodes.push(
        await startRedisServer({
          args: [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            // The bus port defaults to port + 10000, which may not be free (or valid): pick one.
            "--cluster-port",
            String(await freePort()),
            "--cluster-node-timeout",
            "5000",
          ],
        }),
      );
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run("redis-cli", [
      "--cluster",
      "create",
      ...addresses,
      "--cluster-replicas",
      String(replicas),
      "--cluster-yes",
    ]);
    // Every node must agree that all 16384 slots are served before clients are let in.
    const deadline = Date.now() + 30_000;
    for (const n of nodes)
      for (;;) {
        const { stdout } = await run("redis-cli", ["-p", String(n.port), "cluster", "info"]);
        if (/cluster_state:ok/.test(stdout) && /cluster_slots_ok:16384/.test(stdout)) break;
        if (Date.now() > deadline) throw new Error(`cluster not ready on ${n.port}:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    // A replica serves (and can take over) only once it has synced from its master.
    for (const n of nodes)
      for (;;) {
        const { stdout } = await run("redis-cli", ["-p", String(n.port), "info", "replication"]);
        if (/role:master/.test(stdout) || /master_link_status:up/.test(stdout)) break;
        if (Date.now() > deadline) throw new Error(`replica ${n.port} not in sync:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    return {
      nodes,
      nodeList: addresses.join(","),
      stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
    };
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
}
