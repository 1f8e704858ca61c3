import { describe, expect, it } from "vitest";
import {
  encodeLiveEvent,
  interactionEvent,
  liveChannel,
  liveChannelPattern,
  parseLiveEvent,
  ZLiveEvent,
  type LiveEvent,
} from "./live-events.ts";

const at = 1_800_000_000_000;
const events: LiveEvent[] = [
  {
    kind: "interaction",
    storeId: "s1",
    zoneId: "z1",
    itemId: "i1",
    interactionId: "x1",
    at,
    dominant: "disgust",
    valence: -70,
    negative: true,
    dwellMs: 4200,
  },
  {
    kind: "flag",
    storeId: "s1",
    itemId: "i1",
    flagId: "f1",
    state: "raised",
    at,
    lower: 0.31,
    threshold: 0.2,
  },
  {
    kind: "survey-prompt",
    storeId: "s1",
    kioskId: "k1",
    zoneId: "z1",
    itemId: "i1",
    promptId: "p-12345678",
    at,
    reason: "negative-interaction",
  },
  { kind: "zone-distribution", storeId: "s1", at, zones: [{ zoneId: "z1", shoppers: 3, negative: 1 }] },
];

describe("live events", () => {
  it("round-trips every kind through encode/parse", () => {
    for (const e of events) expect(parseLiveEvent(encodeLiveEvent(e))).toEqual(e);
  });

  it("refuses to encode an invalid event", () => {
    expect(() => encodeLiveEvent({ ...events[0]!, valence: 500 } as LiveEvent)).toThrow();
  });

  it("parses garbage, unknown kinds, extra keys and huge messages to null instead of throwing", () => {
    expect(parseLiveEvent("not json")).toBeNull();
    expect(parseLiveEvent("null")).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ kind: "other", storeId: "s1" }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ ...events[0], crop: "AAAA" }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ ...events[1], state: "maybe" }))).toBeNull();
    expect(parseLiveEvent("x".repeat(300_000))).toBeNull();
  });

  it("carries no token or free text (the schemas are strict)", () => {
    const prompt = { ...events[2], token: "abc.def" };
    expect(ZLiveEvent.safeParse(prompt).success).toBe(false);
  });

  it("builds the interaction event from the worker's record (extra fields such as the track key are dropped)", () => {
    const record = {
      id: "x1",
      context: { storeId: "s1", zoneId: "z1", itemId: "i1", cameraId: "c1", trackKey: "run:1:1" },
      startedAt: at - 4200,
      endedAt: at,
      dwellMs: 4200.4,
      dominant: "disgust" as const,
      valence: -70,
      negative: true,
      meanProbs: [0, 1, 0, 0, 0, 0, 0],
    };
    expect(interactionEvent(record)).toEqual(events[0]);
    expect(JSON.stringify(interactionEvent(record))).not.toContain("run:1:1");
    expect(() => interactionEvent({ ...record, endedAt: -1 })).toThrow();
  });

  it("names one channel per store under the prefix", () => {
    expect(liveChannel("s1")).toBe("shelf:live:s1");
    expect(liveChannel("s1", "test-x")).toBe("test-x:live:s1");
    expect(liveChannelPattern("p")).toBe("p:live:*");
    expect(() => liveChannel("s1", "bad prefix")).toThrow();
    expect(() => liveChannel("")).toThrow();
  });
});
