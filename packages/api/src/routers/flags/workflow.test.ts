import { describe, expect, it } from "vitest";
import { flagStatus } from "./workflow.ts";

const t = new Date("2026-03-01T10:00:00Z");

describe("flagStatus", () => {
  it("reads the human workflow of an open flag", () => {
    expect(flagStatus({ clearedAt: null, acknowledgedAt: null, resolvedAt: null })).toBe("new");
    expect(flagStatus({ clearedAt: null, acknowledgedAt: t, resolvedAt: null })).toBe("acknowledged");
    expect(flagStatus({ clearedAt: null, acknowledgedAt: t, resolvedAt: t })).toBe("resolved-open");
  });

  it("lets the worker's clear win over any workflow state", () => {
    expect(flagStatus({ clearedAt: t, acknowledgedAt: null, resolvedAt: null })).toBe("cleared");
    expect(flagStatus({ clearedAt: t, acknowledgedAt: t, resolvedAt: t })).toBe("cleared");
  });
});
