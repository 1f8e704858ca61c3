import { describe, expect, it } from "vitest";
import {
  alertJobId,
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
