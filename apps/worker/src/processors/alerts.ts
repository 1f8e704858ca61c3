import { createHmac } from "node:crypto";
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Queue } from "bullmq";
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import {
  alertJobId,
  checkWebhookAddresses,
  invalidJobReason,
  webhookHost,
  ZAlertJob,
  type AlertJob,
} from "@shelf/core";
import { storeRules, type Db } from "@shelf/db";
import { JobRejected } from "./rejected.ts";

/**
 * A raised flag's alerts: an e-mail to the store's recipients and a signed POST to its webhook, sent by the
 * worker that raised the flag (never by the web app), one `shelf-alerts` job per flag under a fixed job id.
 *
 * Once per flag: each channel that went out is recorded (`AlertDelivery`, unique per flag and channel)
 * before the job ends; a retry (BullMQ attempts with exponential backoff, `JOB_OPTIONS`) sends only the
 * channels still missing, so a webhook receiver answering 500 gets the alert again and the e-mail
 * recipients do not. A crash between sending and recording can send one channel twice: receivers dedupe on
 * `X-Shelf-Delivery` (the flag id).
 *
 * The webhook: `POST` of a JSON body (`WebhookBody`) with
 * - `X-Shelf-Timestamp`: unix seconds when it was signed;
 * - `X-Shelf-Signature`: `sha256=` + hex HMAC-SHA256, keyed with the store's webhook secret, of
 *   `<timestamp>.<body>` (the timestamp, a dot, the raw body bytes): receivers recompute it, compare in
 *   constant time and refuse old timestamps (replays);
 * - `X-Shelf-Event: flag.raised`, `X-Shelf-Delivery: <flagId>`.
 * The target is checked against the webhook policy (`checkWebhookAddresses`) on every address its host
 * resolves to, and the request connects to the address that was checked (no DNS rebinding between check and
 * connect). Redirects are not followed. Any answer but 2xx is a failure (retried).
 */

/** What an alert says about a flag. `numbers` is null when the flag was raised on fewer than k interactions. */
export interface AlertFacts {
  flagId: string;
  raisedAt: Date;
  /** The worker cleared the flag before its alert went out: nothing is sent. */
  clearedAt: Date | null;
  store: { id: string; slug: string; name: string; timezone: string };
  item: { id: string; sku: string; name: string; category: string };
  numbers: {
    rate: number;
    lower: number;
    upper: number;
    n: number;
    negatives: number;
    threshold: number;
    thresholdLevel: string;
    windowHours: number;
  } | null;
}

export interface AlertTargets {
  enabled: boolean;
  emailRecipients: string[];
  webhookUrl: string | null;
  /** As stored: sealed (`v1:`…) or, on a row from before sealing, the plain key; see `AlertDeps.webhookKey`. */
  webhookSecret: string;
  webhookAllowlist: string[];
}

export type AlertChannel = "email" | "webhook";

/** What the alerts processor reads and writes. */
export interface AlertStore {
  /** The flag, its store's alert settings (null: never set) and the channels already delivered; null: gone. */
  load(flagId: string): Promise<{
    facts: AlertFacts;
    targets: AlertTargets | null;
    delivered: ReadonlySet<AlertChannel>;
  } | null>;
  /** Records a delivered channel (idempotent). */
  delivered(flagId: string, channel: AlertChannel, attempts: number): Promise<void>;
}

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface WebhookRequest {
  url: string;
  allowlist: readonly string[];
  headers: Record<string, string>;
  body: string;
}

export interface AlertDeps {
  store: AlertStore;
  /** Sends one e-mail; absent when no SMTP server is configured (e-mail alerts are skipped, with a warning). */
  sendMail?: (message: MailMessage) => Promise<void>;
  /** POSTs a webhook and answers its HTTP status ({@link postWebhook}). */
  postWebhook: (request: WebhookRequest) => Promise<number>;
  /**
   * The signing key of a stored webhook secret (`openWebhookSecret` of @shelf/db under the installation's
   * CAMERA_SECRET_KEY). A throw fails the webhook channel only.
   */
  webhookKey: (stored: string) => string;
  /** The dashboard's origin for links (PUBLIC_BASE_URL); null: links are paths only. */
  publicBaseUrl: string | null;
  /** The e-mails' From. */
  from: string;
  logger: Logger;
  /** ms since epoch; default Date.now. */
  now?: () => number;
}

/** The webhook's JSON body. */
export interface WebhookBody {
  type: "flag.raised";
  flagId: string;
  raisedAt: string;
  store: { slug: string; name: string };
  item: { id: string; sku: string; name: string; category: string };
  /** null when raised on fewer than k interactions (the store's k-anonymity). */
  negativeExpressionRate: {
    rate: number;
    lower: number;
    upper: number;
    confidence: 0.95;
    interactions: number;
    negatives: number;
    threshold: number;
    thresholdLevel: string;
    windowHours: number;
  } | null;
  /** The product's report in the dashboard. */
  url: string;
}

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` under `secret` (the `X-Shelf-Signature` header). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The product report's address. */
export function productLink(base: string | null, facts: Pick<AlertFacts, "store" | "item">): string {
  return `${base ?? ""}/stores/${encodeURIComponent(facts.store.slug)}/products/${encodeURIComponent(facts.item.id)}`;
}

/** The e-mail's subject and text (plain text, ASCII punctuation). */
export function alertEmail(
  facts: AlertFacts,
  link: string,
  flagsLink: string,
): { subject: string; text: string } {
  const { item, store, numbers: x } = facts;
  const rate = x ? `${pct(x.rate)} (95% CI ${pct(x.lower)} to ${pct(x.upper)})` : null;
  const subject = `Flagged: ${item.name} at ${store.name}${rate ? ` - negative-expression rate ${rate}` : ""}`;
  const lines = [
    `${item.name} (SKU ${item.sku}, ${item.category}) was flagged at ${store.name} on ${facts.raisedAt.toISOString()}.`,
    "",
    x
      ? `Negative-expression rate: ${rate}: ${x.negatives} of ${x.n} interactions over the last ${x.windowHours} h showed a negative expression. The lower bound ${pct(x.lower)} is above the ${x.thresholdLevel} threshold of ${pct(x.threshold)}.`
      : "The flag was raised on fewer interactions than the store's k: the numbers are not shown.",
    "",
    "The system reads facial expressions at the shelf, not feelings; a rate is over interactions, not shoppers.",
    "",
    `Product report: ${link}`,
    `Flagged products (acknowledge, note, resolve, print a shelf sign): ${flagsLink}`,
  ];
  return { subject, text: lines.join("\n") };
}

/** The webhook body of a flag. */
export function webhookBody(facts: AlertFacts, link: string): WebhookBody {
  const x = facts.numbers;
  return {
    type: "flag.raised",
    flagId: facts.flagId,
    raisedAt: facts.raisedAt.toISOString(),
    store: { slug: facts.store.slug, name: facts.store.name },
    item: facts.item,
    negativeExpressionRate: x
      ? {
          rate: x.rate,
          lower: x.lower,
          upper: x.upper,
          confidence: 0.95,
          interactions: x.n,
          negatives: x.negatives,
          threshold: x.threshold,
          thresholdLevel: x.thresholdLevel,
          windowHours: x.windowHours,
        }
      : null,
    url: link,
  };
}

export interface AlertOutcome {
  /** Channels sent by this run. */
  sent: AlertChannel[];
  /** Why nothing (more) was sent, when so. */
  skipped?: "flag-gone" | "cleared" | "disabled" | "no-settings";
}

/**
 * The `shelf-alerts` job: sends the flag's missing channels. Throws when a channel failed (BullMQ retries the
 * job with backoff; `attempt` is 1 for the first try), after recording the channels that went out.
 */
export async function processAlert(deps: AlertDeps, data: unknown, attempt = 1): Promise<AlertOutcome> {
  const parsed = ZAlertJob.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("alert job", parsed.error), "invalid");
  const { flagId } = parsed.data;
  const log = deps.logger.child({ flagId });
  const loaded = await deps.store.load(flagId);
  if (!loaded) return { sent: [], skipped: "flag-gone" };
  const { facts, targets, delivered } = loaded;
  if (!targets) return { sent: [], skipped: "no-settings" };
  if (!targets.enabled) return { sent: [], skipped: "disabled" };
  // Cleared before the first try: the numbers dropped already; an alert now would only be noise.
  if (facts.clearedAt && delivered.size === 0 && attempt === 1) return { sent: [], skipped: "cleared" };
  const link = productLink(deps.publicBaseUrl, facts);
  const flagsLink = `${deps.publicBaseUrl ?? ""}/stores/${encodeURIComponent(facts.store.slug)}/flags`;
  const sent: AlertChannel[] = [];
  const failures: string[] = [];

  if (targets.emailRecipients.length > 0 && !delivered.has("email")) {
    if (!deps.sendMail) log.warn("e-mail alert skipped: no SMTP server configured (SMTP_URL)");
    else {
      const { subject, text } = alertEmail(facts, link, flagsLink);
      try {
        await deps.sendMail({ from: deps.from, to: targets.emailRecipients, subject, text });
        await deps.store.delivered(flagId, "email", attempt);
        sent.push("email");
      } catch (err) {
        failures.push(`email: ${(err as Error).message}`);
      }
    }
  }

  if (targets.webhookUrl && !delivered.has("webhook")) {
    const body = JSON.stringify(webhookBody(facts, link));
    const timestamp = Math.floor((deps.now ?? Date.now)() / 1000);
    try {
      const status = await deps.postWebhook({
        url: targets.webhookUrl,
        allowlist: targets.webhookAllowlist,
        body,
        headers: {
          "content-type": "application/json",
          "user-agent": "ShelfSentiment-Alerts/1",
          "x-shelf-event": "flag.raised",
          "x-shelf-delivery": flagId,
          "x-shelf-timestamp": String(timestamp),
          "x-shelf-signature": signWebhook(deps.webhookKey(targets.webhookSecret), timestamp, body),
        },
      });
      if (status < 200 || status >= 300) throw new Error(`receiver answered HTTP ${status}`);
      await deps.store.delivered(flagId, "webhook", attempt);
      sent.push("webhook");
    } catch (err) {
      failures.push(`webhook: ${(err as Error).message}`);
    }
  }

  if (sent.length) log.info({ sent, attempt }, "flag alert sent");
  if (failures.length) throw new Error(`alert not delivered (attempt ${attempt}): ${failures.join("; ")}`);
  return { sent };
}

/** Longest a webhook request may take, ms. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs a webhook: resolves its host, checks every address against the webhook policy and connects to the
 * checked address (the check and the connection see the same DNS answer). Answers the HTTP status; throws
 * when the target is refused or unreachable. Redirects are not followed.
 */
export function postWebhook(req: WebhookRequest, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<number> {
  const url = new URL(req.url);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, found) => {
      if (err) return callback(err, "", 4);
      const verdict = checkWebhookAddresses({
        url,
        addresses: found.map((a) => a.address),
        allowlist: req.allowlist,
      });
      if (!verdict.ok) return callback(new Error(`webhook refused: ${verdict.reason}`), "", 4);
      const first = found[0]!;
      if (options.all) return (callback as (e: null, a: typeof found) => void)(null, found);
      callback(null, first.address, first.family);
    });
  };
  // An IP literal is never looked up by node: check it here.
  const host = webhookHost(url);
  if (/^[0-9.]+$/.test(host) || host.includes(":")) {
    const verdict = checkWebhookAddresses({ url, addresses: [host], allowlist: req.allowlist });
    if (!verdict.ok) return Promise.reject(new Error(`webhook refused: ${verdict.reason}`));
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) },
        lookup,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(req.body);
  });
}

/** An SMTP sender (nodemailer) for `SMTP_URL` (smtp:// or smtps://, credentials in the URL). */
export function smtpSender(smtpUrl: string): { send: (m: MailMessage) => Promise<void>; close: () => void } {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    send: async (m) => {
      await transport.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}

/** Queues a raised flag's alerts under its fixed job id (a second report of the same raise is a no-op). */
export function queueFlagAlert(queue: Pick<Queue, "add">): (flag: { flagId: string }) => Promise<void> {
  return async ({ flagId }) => {
    const job: AlertJob = { flagId };
    await queue.add("alert", job, { jobId: alertJobId(flagId) });
  };
}

/**
 * How far back the alert re-queue looks for flags whose alert never went out, ms (24 h). Older flags are left
 * alone: an alert a day late is noise, and the window bounds the query.
 */
export const ALERT_REQUEUE_WINDOW_MS = 24 * 3_600_000;

/**
 * A flag younger than this is not re-queued, ms (2 min): its raise queues the job right after the commit, and
 * the re-queue is for alerts that are late, not for racing the normal path.
 */
export const ALERT_REQUEUE_GRACE_MS = 120_000;

/** Flags looked at per re-queue run (oldest first; the rest wait for the next run). */
export const ALERT_REQUEUE_LIMIT = 500;

/** What the alert re-queue reads. */
export interface AlertBacklog {
  /**
   * Open flags raised in [`from`, `to`) whose store has alerts enabled and lacks an `AlertDelivery` for one
   * of its configured `channels` (recipients set for e-mail, a URL for the webhook), oldest first, at most
   * `limit`.
   */
  undelivered(
    raised: { from: Date; to: Date },
    channels: readonly AlertChannel[],
    limit: number,
  ): Promise<string[]>;
}

export interface AlertRequeueDeps {
  backlog: AlertBacklog;
  /** The `shelf-alerts` queue. */
  alerts: Pick<Queue, "add" | "getJob">;
  /** Channels this worker can send: e-mail only with an SMTP server (otherwise it would be re-queued forever). */
  channels: readonly AlertChannel[];
  logger: Logger;
}

export interface AlertRequeueOutcome {
  /** Flags whose alert job was missing from Redis and was queued again. */
  requeued: number;
  /** Flags whose job is still waiting, delayed (a retry's backoff) or running: left to BullMQ. */
  inFlight: number;
  /**
   * Flags whose job is still in Redis as completed or failed: the processor decided (it sent what it could, or
   * gave up after its attempts), and is not asked again. Once retention removes that job, a still-missing
   * channel gets one more job (its own attempts), within {@link ALERT_REQUEUE_WINDOW_MS}.
   */
  settled: number;
}

/**
 * Re-queues alerts that never went out: the flag was raised (between {@link ALERT_REQUEUE_WINDOW_MS} and
 * {@link ALERT_REQUEUE_GRACE_MS} ago) and committed, but queueing its job failed (Redis
 * down at that moment: `flagRaised` logs and carries on) or the job is gone from Redis. Each candidate's job is
 * looked up under its fixed id first; only a missing one is added again, under the same id (so an add racing
 * with the scoring worker's own is one job). The processor sends only the channels without an
 * `AlertDelivery`, so nothing already delivered goes twice.
 */
export async function requeueMissingAlerts(
  deps: AlertRequeueDeps,
  now = Date.now(),
): Promise<AlertRequeueOutcome> {
  const outcome: AlertRequeueOutcome = { requeued: 0, inFlight: 0, settled: 0 };
  if (deps.channels.length === 0) return outcome;
  const flagIds = await deps.backlog.undelivered(
    { from: new Date(now - ALERT_REQUEUE_WINDOW_MS), to: new Date(now - ALERT_REQUEUE_GRACE_MS) },
    deps.channels,
    ALERT_REQUEUE_LIMIT,
  );
  const add = queueFlagAlert(deps.alerts);
  for (const flagId of flagIds) {
    const job = await deps.alerts.getJob(alertJobId(flagId));
    if (job) {
      const state = await job.getState();
      if (state === "completed" || state === "failed") outcome.settled++;
      else outcome.inFlight++;
      continue;
    }
    await add({ flagId });
    outcome.requeued++;
  }
  if (outcome.requeued > 0)
    deps.logger.warn({ requeued: outcome.requeued }, "flag alerts missing from the queue were queued again");
  return outcome;
}

/** The {@link AlertBacklog} on PostgreSQL. */
export function prismaAlertBacklog(db: Db): AlertBacklog {
  return {
    async undelivered(raised, channels, limit) {
      const missing = channels.map((channel) => ({
        store: {
          alertSettings:
            channel === "email"
              ? { is: { emailRecipients: { isEmpty: false } } }
              : { is: { webhookUrl: { not: null } } },
        },
        alerts: { none: { channel } },
      }));
      const rows = await db.flag.findMany({
        where: {
          raisedAt: { gte: raised.from, lt: raised.to },
          clearedAt: null,
          store: { alertSettings: { is: { enabled: true } } },
          OR: missing,
        },
        orderBy: { raisedAt: "asc" },
        take: limit,
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },
  };
}

/** The {@link AlertStore} on PostgreSQL. */
export function prismaAlertStore(db: Db): AlertStore {
  return {
    async load(flagId) {
      const flag = await db.flag.findUnique({
        where: { id: flagId },
        include: {
          store: {
            select: { id: true, slug: true, name: true, timezone: true, alertSettings: true },
          },
          item: { select: { id: true, sku: true, name: true, category: true } },
          alerts: { select: { channel: true } },
        },
      });
      if (!flag) return null;
      const rules = await storeRules(db, flag.storeId);
      const { alertSettings, ...store } = flag.store;
      return {
        facts: {
          flagId: flag.id,
          raisedAt: flag.raisedAt,
          clearedAt: flag.clearedAt,
          store,
          item: flag.item,
          numbers:
            flag.n < rules.k
              ? null
              : {
                  rate: flag.rate,
                  lower: flag.lower,
                  upper: flag.upper,
                  n: flag.n,
                  negatives: flag.negatives,
                  threshold: flag.threshold,
                  thresholdLevel: flag.thresholdLevel,
                  windowHours: flag.windowHours,
                },
        },
        targets: alertSettings,
        delivered: new Set(flag.alerts.map((a) => a.channel as AlertChannel)),
      };
    },
    async delivered(flagId, channel, attempts) {
      await db.alertDelivery.createMany({ data: [{ flagId, channel, attempts }], skipDuplicates: true });
    },
  };
}
