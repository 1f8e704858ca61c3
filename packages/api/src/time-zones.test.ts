import { describe, expect, it } from "vitest";
import { canonicalTimeZone, isStoreTimeZone, storeTimeZones } from "./time-zones.ts";

describe("store time zones", () => {
  it("lists IANA zones and UTC, sorted, once each", () => {
    const zones = storeTimeZones();
    expect(zones).toContain("Europe/Berlin");
    expect(zones).toContain("UTC");
    expect([...zones].sort()).toEqual(zones);
    expect(new Set(zones).size).toBe(zones.length);
  });

  it("accepts listed zones and aliases of them, refuses free text", () => {
    expect(isStoreTimeZone("Europe/Berlin")).toBe(true);
    expect(isStoreTimeZone("Asia/Kolkata")).toBe(true);
    expect(storeTimeZones()).toContain(canonicalTimeZone("Asia/Kolkata"));
    expect(isStoreTimeZone("Mars/Olympus")).toBe(false);
    expect(isStoreTimeZone("berlin")).toBe(false);
    expect(isStoreTimeZone("")).toBe(false);
  });
});
