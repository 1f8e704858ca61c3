import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import type { TrackEvent } from "@shelf/core";
import { TrackEventBuffer } from "./track-buffer.ts";

const T0 = 1_700_000_000_000;

function collectingLogger() {
  const lines: { level: number; msg: string; dropped?: number }[] = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) },
  );
  return { logger, lines };
}

const start = (n: number): TrackEvent => ({
  type: "start",
  context: {
    storeId: "s",
    cameraId: "c",
    zoneId: "z",
    itemId: null,
    trackKey: `run:${n}:1`,
    calibrationVersion: 1,
  },
  at: T0 + n,
});

/** A link that is up or down; while up it records what it was sent. */
function link() {
  const sent: TrackEvent[] = [];
  const state = { up: true };
  return {
    sent,
    state,
    send: async (e: TrackEvent) => {
      await Promise.resolve();
      if (!state.up) throw new Error("connection is closed");
      sent.push(e);
    },
  };
}

describe("TrackEventBuffer", () => {
  it("sends at once while the link is up, holds in order while it is down, and delivers each once when it returns", async () => {
    const { logger, lines } = collectingLogger();
    let now = T0;
    const buffer = new TrackEventBuffer(logger, { now: () => now });
    const l = link();
    buffer.push(start(0));
    expect(await buffer.drain(l.send)).toBe(1);
    l.state.up = false;
    for (let i = 1; i <= 5; i++) {
      now += 60_000; // a visit event a minute while the link is down
      buffer.push(start(i));
      expect(await buffer.drain(l.send)).toBe(0);
    }
    expect(buffer.depth).toBe(5);
    expect(buffer.oldestAgeMs()).toBe(4 * 60_000);
    expect(lines.filter((x) => x.msg.includes("link to Redis down"))).toHaveLength(1);
    l.state.up = true;
    expect(await buffer.drain(l.send)).toBe(5);
    expect(l.sent.map((e) => (e.type === "start" ? e.at - T0 : -1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(buffer.depth).toBe(0);
    expect(buffer.bytes).toBe(0);
    expect(buffer.deliveredLate).toBe(5);
    expect(lines.some((x) => x.msg.includes("buffered visit events delivered"))).toBe(true);
    expect(await buffer.drain(l.send)).toBe(0); // nothing is sent twice
  });

  it("when full drops the oldest, counts each drop and logs it (not once per drop)", async () => {
    const { logger, lines } = collectingLogger();
    const buffer = new TrackEventBuffer(logger, { maxEvents: 3 });
    const registry = new Registry();
    buffer.registerMetrics(registry);
    for (let i = 0; i < 10; i++) buffer.push(start(i));
    expect(buffer.depth).toBe(3);
    expect(buffer.dropped).toBe(7);
    const l = link();
    await buffer.drain(l.send);
    expect(l.sent.map((e) => (e.type === "start" ? e.at - T0 : -1))).toEqual([7, 8, 9]);
    const text = await registry.metrics();
    expect(text).toMatch(/^shelf_agent_track_buffer_dropped_total 7$/m);
    expect(text).toMatch(/^shelf_agent_track_buffer_depth 0$/m);
    const drops = lines.filter((x) => x.msg.includes("oldest event dropped"));
    expect(drops).toHaveLength(1);
    expect(drops[0]!.level).toBe(50); // error
  });

  it("is bounded by bytes too: a few large edge-classified ends push out the oldest", () => {
    const { logger } = collectingLogger();
    const one = Buffer.byteLength(JSON.stringify(start(0)));
    const buffer = new TrackEventBuffer(logger, { maxBytes: one * 2 + 1 });
    for (let i = 0; i < 4; i++) buffer.push(start(i));
    expect(buffer.depth).toBe(2);
    expect(buffer.bytes).toBeLessThanOrEqual(one * 2 + 1);
    expect(buffer.dropped).toBe(2);
  });

  it("reports depth and the oldest event's age on /metrics while the link is down", async () => {
    const { logger } = collectingLogger();
    let now = T0;
    const buffer = new TrackEventBuffer(logger, { now: () => now });
    const registry = new Registry();
    buffer.registerMetrics(registry);
    const l = link();
    l.state.up = false;
    buffer.push(start(1));
    buffer.push(start(2));
    await buffer.drain(l.send);
    now += 300_000;
    const text = await registry.metrics();
    expect(text).toMatch(/^shelf_agent_track_buffer_depth 2$/m);
    expect(text).toMatch(/^shelf_agent_track_buffer_oldest_seconds 300$/m);
  });

  it("runs one drain at a time: a second call while one is sending sends nothing", async () => {
    const { logger } = collectingLogger();
    const buffer = new TrackEventBuffer(logger);
    const l = link();
    buffer.push(start(1));
    buffer.push(start(2));
    const [a, b] = await Promise.all([buffer.drain(l.send), buffer.drain(l.send)]);
    expect([a, b]).toEqual([2, 0]);
    expect(l.sent).toHaveLength(2);
  });
});
