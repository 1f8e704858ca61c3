import { describe, expect, it } from "vitest";
import { MAX_JOB_BYTES } from "./jobs.ts";
import {
  alertJobId,
  MAX_EDGE_SAMPLES,
  QUEUES,
  invalidJobReason,
  rescoreJobId,
  surveyTriggerJobId,
  trackJobId,
  ZCropQueueJob,
  ZRescoreJob,
  ZRescoreResult,
  ZAlertJob,
  ZTrackEvent,
} from "./queues.ts";

describe("job validation reasons", () => {
  it("name every offending field by its path", () => {
    const r = ZTrackEvent.safeParse({ type: "end", context: { storeId: "s" } });
    expect(r.success).toBe(false);
    const reason = invalidJobReason("track event", r.error!);
    expect(reason).toMatch(/^invalid track event: /);
    for (const field of ["context.cameraId", "context.zoneId", "context.trackKey"])
      expect(reason).toContain(`${field}: `);
    expect(reason).toMatch(/; and 3 more$/); // at most five, so a log line stays short
  });

  it("name the payload itself when it is not an object", () => {
    const r = ZCropQueueJob.safeParse("pixels");
    expect(invalidJobReason("crop job", r.error!)).toMatch(/^invalid crop job: \(payload\): /);
  });

  it("refuse a crop that asks to live longer than MAX_CROP_TTL_MS, naming expiresAt", () => {
    const r = ZCropQueueJob.safeParse({
      context: {
        storeId: "s",
        cameraId: "c",
        zoneId: "z",
        itemId: null,
        trackKey: "t",
        calibrationVersion: 1,
      },
      capturedAt: 1000,
      box: { x: 0, y: 0, w: 1, h: 1 },
      detectionScore: 0.5,
      expiresAt: 1000 + 2 * 3_600_000,
      crop: {
        width: 8,
        height: 8,
        channels: 1,
        keyId: "k".repeat(24),
        iv: "A".repeat(16),
        tag: "A".repeat(24),
        data: "A".repeat(88),
      },
    });
    expect(invalidJobReason("crop job", r.error!)).toMatch(/expiresAt: must be at most/);
  });
});

describe("track job ids", () => {
  it("are one id per visit and event type, colon-free (an end queued by a worker lands on the agent's job)", () => {
    expect(trackJobId("end", { trackKey: "run:7:2", zoneId: "z1" })).toBe("track_end_run_7_2_z1");
  });
});

describe("visit ends with edge-classified vectors", () => {
  const context = {
    storeId: "cmx4afmv00018s97dkpc68slf",
    cameraId: "cmx4aflzp0002s97dfwk4cg19",
    zoneId: "cmx4afmv00018s97dkpc68slg",
    itemId: "cmx4afmv00018s97dkpc68slh",
    trackKey: "0a1b2c3d:cmx4aflzp0002s97dfwk4cg19:12345:678",
    calibrationVersion: 12,
  };
  const sample = (k: number) => ({
    capturedAt: 1_796_104_224_394 + k * 500,
    probs: [0.1234, 0.0123, 0.0456, 0.5678, 0.0987, 0.0654, 0.0868],
  });
  const end = (n: number) => ({
    type: "end",
    context,
    startedAt: 1_796_104_224_394,
    endedAt: 1_796_104_284_394,
    cropsSent: 0,
    samples: Array.from({ length: n }, (_, k) => sample(k)),
  });

  it("carry at most MAX_EDGE_SAMPLES vectors, and the largest still fits the track queue's payload cap", () => {
    expect(ZTrackEvent.safeParse(end(MAX_EDGE_SAMPLES)).success).toBe(true);
    expect(ZTrackEvent.safeParse(end(MAX_EDGE_SAMPLES + 1)).success).toBe(false);
    expect(ZTrackEvent.safeParse(end(0)).success).toBe(false);
    expect(Buffer.byteLength(JSON.stringify(end(MAX_EDGE_SAMPLES)))).toBeLessThan(
      MAX_JOB_BYTES[QUEUES.tracks],
    );
  });

  it("refuse a vector that is not 7 probabilities summing to 1", () => {
    const bad = end(2);
    bad.samples[1]!.probs = [0.5, 0.5, 0.5, 0, 0, 0, 0];
    const r = ZTrackEvent.safeParse(bad);
    expect(r.success).toBe(false);
    expect(invalidJobReason("track event", r.error!)).toMatch(/samples\.1\.probs/);
  });
});

describe("rescore and survey trigger jobs", () => {
  it("have fixed, colon-free ids: a retried request or visit end lands on the same job", () => {
    expect(rescoreJobId({ storeId: "s1", requestId: "audit:42" })).toBe("rescore_s1_audit_42");
    expect(surveyTriggerJobId("0b3e-11")).toBe("survey_0b3e-11");
  });

  it("validate a rescore result as the waiting web app reads it", () => {
    const change = { flagId: "f", itemId: "i", state: "raised", lower: 0.36, threshold: 0.3, at: 1 };
    expect(ZRescoreResult.parse({ items: 3, changes: [change] }).changes).toEqual([change]);
    expect(ZRescoreResult.safeParse({ items: 3, changes: [{ ...change, state: "lowered" }] }).success).toBe(
      false,
    );
    expect(ZRescoreJob.safeParse({ storeId: "s", mode: "rescore" }).success).toBe(false); // requestId
  });
});

describe("alert jobs", () => {
  it("carry a flag id only, under one fixed job id per flag", () => {
    expect(ZAlertJob.safeParse({ flagId: "f1" }).success).toBe(true);
    expect(ZAlertJob.safeParse({ flagId: "f1", to: "x@example.com" }).success).toBe(false);
    expect(alertJobId("f:1")).toBe("alert_f_1");
    expect(alertJobId("f:1")).toBe(alertJobId("f:1"));
  });
});
