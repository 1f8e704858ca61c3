import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { pino } from "pino";
import { alertJobId, QUEUES, wilsonInterval, redisLayout } from "@shelf/core";
import { createDb, isSealedWebhookSecret, openWebhookSecret, sealWebhookSecret, type Db } from "@shelf/db";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { postWebhook, prismaAlertBacklog, queueFlagAlert } from "../../apps/worker/src/processors/alerts.ts";
import { prismaScoringStore, processScore } from "../../apps/worker/src/processors/scoring.ts";
import {
  alertSettings,
  rotateWebhookSecret,
  updateAlertSettings,
} from "../../packages/api/src/routers/flags/alert-settings.handler.ts";
import { cameraSecretKey } from "../../packages/api/src/routers/cameras/source-policy.ts";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { freePort, until } from "../support/processes.ts";
import { obliterateQueues } from "../support/redis-layout.ts";
import {
  addRollups,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

/** One e-mail as the SMTP sink received it. */
interface Mail {
  from: string;
  to: string[];
  data: string;
}

/**
 * A tiny SMTP server (RFC 5321, no extensions, no TLS): enough for nodemailer to deliver to, over a real
 * socket. Every message is kept as received.
 */
function smtpSink(): Promise<{ server: TcpServer; port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = createTcpServer((socket) => {
    let buffer = "";
    let inData = false;
    let mail: Mail = { from: "", to: [], data: "" };
    socket.setEncoding("utf8");
    socket.write("220 sink.test ESMTP\r\n");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          mail.data = buffer.slice(0, end).replace(/^\.\./gm, ".");
          buffer = buffer.slice(end + 5);
          mails.push(mail);
          mail = { from: "", to: [], data: "" };
          inData = false;
          socket.write("250 2.0.0 queued\r\n");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 sink.test\r\n");
        else if (verb === "MAIL") {
          mail.from = /<(.*)>/.exec(line)?.[1] ?? "";
          socket.write("250 2.1.0 ok\r\n");
        } else if (verb === "RCPT") {
          mail.to.push(/<(.*)>/.exec(line)?.[1] ?? "");
          socket.write("250 2.1.5 ok\r\n");
        } else if (verb === "DATA") {
          inData = true;
          socket.write("354 end with <CRLF>.<CRLF>\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else if (verb === "RSET" || verb === "NOOP") socket.write("250 ok\r\n");
        else socket.write("502 not implemented\r\n");
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as AddressInfo).port, mails }),
    ),
  );
}

/** A message's text, quoted-printable decoded (header lines unfolded). */
function readable(data: string): string {
  return data
    .replace(/\r\n[ \t]+/g, " ")
    .replace(/=\r\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

interface Hook {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** An HTTP receiver answering `statuses` in turn (then 200), keeping every request. */
function receiver(statuses: number[]): Promise<{ server: Server; port: number; hooks: Hook[] }> {
  const hooks: Hook[] = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const status = statuses[hooks.length] ?? 200;
      hooks.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as AddressInfo).port, hooks }),
    ),
  );
}

/** What a receiver does with the documented scheme: HMAC-SHA256 of `<timestamp>.<body>`, constant time. */
function verify(secret: string, hook: Hook): boolean {
  const ts = String(hook.headers["x-shelf-timestamp"]);
  const expected = Buffer.from(
    `sha256=${createHmac("sha256", secret).update(`${ts}.${hook.body}`).digest("hex")}`,
  );
  const got = Buffer.from(String(hook.headers["x-shelf-signature"]));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe("flag alerts: e-mail over SMTP and a signed webhook, sent once per flag by the worker", () => {
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("alerts");
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let workers: RunningWorkers;
  let secret: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    hooks = await receiver([500]); // the first delivery fails: the job must retry
    s = await createWebStore(db, { k: 5, minSample: 10 });
    await db.threshold.create({ data: { storeId: s.store.id, level: "global", threshold: 0.2 } });
    secret = "a".repeat(64);
    // A plain key, as rows from before sealing hold it: the worker signs with it as it is.
    await db.storeAlertSettings.create({
      data: {
        storeId: s.store.id,
        emailRecipients: ["buyer@test.example", "manager@test.example"],
        webhookUrl: `http://127.0.0.1:${hooks.port}/hooks/shelf`,
        webhookAllowlist: ["127.0.0.1/32"],
        webhookSecret: secret,
      },
    });
    const analyzer = { classify: () => Promise.reject(new Error("not used")) };
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer,
      logger: pino({ level: "silent" }),
      alerts: {
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: "Shelf Alerts <alerts@test.example>",
        publicBaseUrl: "https://shelf.example/",
      },
    });
  });

  afterAll(async () => {
    await workers?.close();
    await obliterateQueues(redisUrl, prefix);
    await new Promise((r) => smtp?.server.close(r));
    await new Promise((r) => hooks?.server.close(r));
    if (s) await dropWebStore(db, s);
    await db.$disconnect();
  });

  const scoreCrisps = async () => {
    const q = new Queue(QUEUES.scoring, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    await q.add("score", { storeId: s.store.id, itemId: s.items.crisps.id });
    await q.close();
  };

  it("e-mails the product, its rate with interval and a link, and posts a signed webhook, retried after a 500", async () => {
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000),
      counts: { disgust: 20, happy: 20 },
    });
    await scoreCrisps();
    await until(
      async () => (await db.alertDelivery.count({ where: { flag: { storeId: s.store.id } } })) === 2,
      30_000,
      "both alerts",
    );
    const flag = await db.flag.findFirstOrThrow({
      where: { storeId: s.store.id, itemId: s.items.crisps.id },
    });
    const { lower, upper } = wilsonInterval(20, 40);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe("alerts@test.example");
    expect(mail.to.sort()).toEqual(["buyer@test.example", "manager@test.example"]);
    const text = readable(mail.data);
    expect(text).toContain(
      `Subject: Flagged: Sea-salt crisps at ${s.store.name} - negative-expression rate 50.0% (95% CI ${pct(lower)} to ${pct(upper)})`,
    );
    expect(text).toContain(`SKU ${s.items.crisps.sku}`);
    expect(text).toContain("20 of 40 interactions");
    expect(text).toContain(`https://shelf.example/stores/${s.store.slug}/products/${s.items.crisps.id}`);

    // The receiver answered 500 once: the same delivery came again, and the second one was accepted.
    expect(hooks.hooks.map((h) => h.status)).toEqual([500, 200]);
    for (const h of hooks.hooks) {
      expect(verify(secret, h)).toBe(true);
      expect(verify("b".repeat(64), h)).toBe(false);
      expect(h.headers["x-shelf-delivery"]).toBe(flag.id);
      expect(h.headers["x-shelf-event"]).toBe("flag.raised");
      expect(Math.abs(Number(h.headers["x-shelf-timestamp"]) - Date.now() / 1000)).toBeLessThan(120);
    }
    const body = JSON.parse(hooks.hooks[1]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "flag.raised",
      flagId: flag.id,
      item: { id: s.items.crisps.id, sku: s.items.crisps.sku, name: "Sea-salt crisps" },
      store: { slug: s.store.slug },
      negativeExpressionRate: {
        rate: 0.5,
        interactions: 40,
        negatives: 20,
        threshold: 0.2,
        confidence: 0.95,
      },
      url: `https://shelf.example/stores/${s.store.slug}/products/${s.items.crisps.id}`,
    });
    // A tampered body no longer verifies.
    expect(verify(secret, { ...hooks.hooks[1]!, body: hooks.hooks[1]!.body.replace("0.5", "0.9") })).toBe(
      false,
    );

    const deliveries = await db.alertDelivery.findMany({
      where: { flagId: flag.id },
      orderBy: { channel: "asc" },
    });
    expect(deliveries.map((d) => [d.channel, d.attempts])).toEqual([
      ["email", 1],
      ["webhook", 2],
    ]);
  });

  it("sends nothing more for the same flag: rescoring it, or queueing its alert again", async () => {
    const flag = await db.flag.findFirstOrThrow({ where: { storeId: s.store.id, clearedAt: null } });
    const scored = new Promise<void>((resolve) =>
      workers.onScore((storeId) => storeId === s.store.id && resolve()),
    );
    await scoreCrisps();
    await scored;
    const alerts = new Queue(QUEUES.alerts, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    await queueFlagAlert(alerts)({ flagId: flag.id });
    // Even with the job gone from Redis (retention), a new run finds both channels delivered.
    await (await alerts.getJob(alertJobId(flag.id)))?.remove();
    await queueFlagAlert(alerts)({ flagId: flag.id });
    await until(
      async () =>
        ((await alerts.getJobCounts("completed")).completed ?? 0) >= 1 &&
        (await alerts.getJobCounts("waiting", "active", "delayed")).waiting === 0,
      10_000,
      "the re-queued alert",
    );
    await new Promise((r) => setTimeout(r, 500));
    await alerts.close();
    expect(smtp.mails).toHaveLength(1);
    expect(hooks.hooks).toHaveLength(2);
    expect(await db.flag.count({ where: { storeId: s.store.id } })).toBe(1);
  });

  it("refuses a webhook to loopback unless the allowlist names it, before any request", async () => {
    const before = hooks.hooks.length;
    const req = { url: `http://127.0.0.1:${hooks.port}/x`, headers: {}, body: "{}" };
    await expect(postWebhook({ ...req, allowlist: [] })).rejects.toThrow(/loopback/);
    await expect(postWebhook({ ...req, allowlist: ["0.0.0.0/0"] })).rejects.toThrow(/refused/);
    await expect(
      postWebhook({ ...req, url: `http://localhost:${hooks.port}/x`, allowlist: ["localhost"] }),
    ).rejects.toThrow(/refused/);
    expect(hooks.hooks).toHaveLength(before);
    expect(await postWebhook({ ...req, allowlist: ["127.0.0.1/32"] })).toBe(200);
  });
});

describe("an alert whose queueing failed (Redis down as the flag was raised) goes out from the worker's re-queue", () => {
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("alerts-requeue");
  const db: Db = createDb({ url: testDatabaseUrl() });
  const secret = "c".repeat(64);
  // The installation's secret key (CAMERA_SECRET_KEY): the stored webhook secret is sealed under it.
  const secretKey = randomBytes(32);
  let s: WebStore;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let workers: RunningWorkers | undefined;

  beforeAll(async () => {
    smtp = await smtpSink();
    hooks = await receiver([]);
    s = await createWebStore(db, { k: 5, minSample: 10 });
    await db.threshold.create({ data: { storeId: s.store.id, level: "global", threshold: 0.2 } });
    await db.storeAlertSettings.create({
      data: {
        storeId: s.store.id,
        emailRecipients: ["buyer@test.example"],
        webhookUrl: `http://127.0.0.1:${hooks.port}/hooks/shelf`,
        webhookAllowlist: ["127.0.0.1/32"],
        webhookSecret: sealWebhookSecret(secretKey, secret),
      },
    });
  });

  afterAll(async () => {
    await workers?.close();
    await obliterateQueues(redisUrl, prefix);
    await new Promise((r) => smtp?.server.close(r));
    await new Promise((r) => hooks?.server.close(r));
    if (s) await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("raises the flag while the alerts queue is unreachable; once Redis is back, each channel is delivered once", async () => {
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000),
      counts: { disgust: 20, happy: 20 },
    });
    // The scoring processor's real alert hook, on a producer whose Redis does not answer (nothing listens on
    // the port; producers do not buffer offline).
    const deadAlerts = new Queue(QUEUES.alerts, {
      connection: {
        host: "127.0.0.1",
        port: await freePort(),
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      },
      prefix,
    });
    deadAlerts.on("error", () => undefined);
    const logged: string[] = [];
    const logger = pino(
      { level: "error" },
      { write: (line: string) => void logged.push((JSON.parse(line) as { msg: string }).msg) },
    );
    const outcome = await processScore(
      {
        store: prismaScoringStore(db),
        live: { publish: () => Promise.resolve() },
        logger,
        flagRaised: queueFlagAlert(deadAlerts),
      },
      { storeId: s.store.id, itemId: s.items.crisps.id },
    );
    await deadAlerts.close().catch(() => undefined);
    expect(outcome.change).toBe("raised");
    expect(logged).toContain("flag alert not queued");
    const flagId = outcome.flagId!;
    // The outage outlasted the re-queue's grace (2 min): the flag is older than that when Redis is back.
    await db.flag.update({ where: { id: flagId }, data: { raisedAt: new Date(Date.now() - 10 * 60_000) } });

    const alerts = new Queue(QUEUES.alerts, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    expect(await alerts.getJob(alertJobId(flagId))).toBeUndefined();
    const lastDay = { from: new Date(Date.now() - 86_400_000), to: new Date() };
    const backlog = prismaAlertBacklog(db);
    expect(await backlog.undelivered(lastDay, ["email"], 500)).toContain(flagId);
    expect(await backlog.undelivered(lastDay, ["webhook"], 500)).toContain(flagId);
    // Raised before the window: left alone.
    expect(
      await backlog.undelivered({ from: new Date(Date.now() - 5 * 60_000), to: new Date() }, ["email"], 500),
    ).not.toContain(flagId);
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer: { classify: () => Promise.reject(new Error("not used")) },
      logger: pino({ level: "silent" }),
      alerts: {
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: "Shelf Alerts <alerts@test.example>",
        publicBaseUrl: "https://shelf.example",
        requeueEveryMs: 300,
        secretKey: () => secretKey,
      },
    });
    await until(
      async () => (await db.alertDelivery.count({ where: { flagId } })) === 2,
      20_000,
      "the re-queued alert",
    );
    // Several more re-queue runs: the job is done and both channels are recorded, so nothing goes again.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(smtp.mails).toHaveLength(1);
    expect(readable(smtp.mails[0]!.data)).toContain(`Subject: Flagged: Sea-salt crisps at ${s.store.name}`);
    expect(hooks.hooks).toHaveLength(1);
    expect(verify(secret, hooks.hooks[0]!)).toBe(true);
    expect(hooks.hooks[0]!.headers["x-shelf-delivery"]).toBe(flagId);
    expect(await (await alerts.getJob(alertJobId(flagId)))?.getState()).toBe("completed");
    expect(await backlog.undelivered(lastDay, ["email", "webhook"], 500)).not.toContain(flagId);
    await alerts.close();
  });
});

describe("webhook secrets at rest: sealed under the installation's key, shown opened to admins", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let ctx: Parameters<typeof updateAlertSettings>[0]["ctx"];
  const input = (slug: string) => ({
    storeSlug: slug,
    enabled: true,
    emailRecipients: ["buyer@test.example"],
    webhookUrl: "https://hooks.example.com/shelf",
    webhookAllowlist: [],
  });
  const publicHost = () => Promise.resolve(["93.184.216.34"]);
  const stored = async () =>
    (await db.storeAlertSettings.findUniqueOrThrow({ where: { storeId: s.store.id } })).webhookSecret;

  beforeAll(async () => {
    s = await createWebStore(db);
    ctx = { db, store: s.store, user: await createUser(db, { role: "admin", storeId: s.store.id }) };
  });
  afterAll(async () => {
    if (s) await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("stores a new or rotated key sealed, and shows it opened", async () => {
    const saved = await updateAlertSettings({ ctx, input: input(s.store.slug) }, publicHost);
    expect(saved.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    const sealed = await stored();
    expect(isSealedWebhookSecret(sealed)).toBe(true);
    expect(sealed).not.toContain(saved.webhookSecret);
    // The web app's key opens it: what the worker signs with is what admins see.
    expect(openWebhookSecret(cameraSecretKey, sealed)).toBe(saved.webhookSecret);
    const rotated = await rotateWebhookSecret({ ctx });
    expect(rotated.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.webhookSecret).not.toBe(saved.webhookSecret);
    expect(isSealedWebhookSecret(await stored())).toBe(true);
  });

  it("seals a plain key left from before sealing on the next write or admin read, keeping the same key", async () => {
    const legacy = "d".repeat(64);
    await db.storeAlertSettings.update({ where: { storeId: s.store.id }, data: { webhookSecret: legacy } });
    const saved = await updateAlertSettings({ ctx, input: input(s.store.slug) }, publicHost);
    expect(saved.webhookSecret).toBe(legacy);
    expect(isSealedWebhookSecret(await stored())).toBe(true);

    await db.storeAlertSettings.update({ where: { storeId: s.store.id }, data: { webhookSecret: legacy } });
    expect((await alertSettings({ ctx })).webhookSecret).toBe(legacy);
    expect(isSealedWebhookSecret(await stored())).toBe(true);
  });
});
