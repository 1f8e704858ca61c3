import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { DEFAULT_STORE_RULES, type ExpressionGroup, type LiveEvent, type StoreRules } from "@shelf/core";
import {
  processRescore,
  processScore,
  scoreStats,
  scoreWindow,
  type LastScore,
  type ScoringDeps,
  type ScoringStore,
  type StoredThreshold,
} from "./scoring.ts";
import { JobRejected } from "./rejected.ts";

const logger = pino({ level: "silent" });
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 10, 30); // 10:30 UTC

/**
 * An in-memory ScoringStore: rollup groups per item, the last scores, open flags, and the one-open-flag rule
 * of the real store (`createOpenFlag`). What the processor decides is the subject; PostgreSQL is tested in
 * test/integration/scoring.test.ts and flag-race.test.ts.
 */
function memoryStore(init: {
  rules?: Partial<StoreRules>;
  thresholds?: StoredThreshold[];
  groups?: Record<string, ExpressionGroup[]>;
  last?: LastScore[];
  open?: string[];
}) {
  const open = new Map((init.open ?? []).map((itemId) => [itemId, `flag-${itemId}`]));
  const saved = new Map<string, { n: number; negatives: number; windowStart: Date; windowEnd: Date }>();
  const windows: { from: Date; to: Date }[] = [];
  let flagSeq = 0;
  const store: ScoringStore = {
    rules: async () => ({ ...DEFAULT_STORE_RULES, minSample: 10, ...init.rules }),
    thresholds: async () => init.thresholds ?? [],
    itemCategory: async (itemId) => (itemId.startsWith("snk") ? "snacks" : "drinks"),
    expressionGroups: async (q) => (windows.push(q), init.groups?.[q.itemId] ?? []),
    itemIds: async () => Object.keys(init.groups ?? {}).sort(),
    lastScores: async () => init.last ?? [],
    settle: async (input) => {
      if (input.score) saved.set(input.itemId, { ...input.stats, ...input.score });
      const flagId = open.get(input.itemId) ?? null;
      const verdict = input.decide(flagId !== null);
      if (verdict.action === "keep") return { flagged: verdict.flagged, change: null, flagId };
      if (verdict.action === "clear") {
        open.delete(input.itemId);
        return { flagged: false, change: "cleared", flagId };
      }
      const id = `flag-new-${++flagSeq}`;
      open.set(input.itemId, id);
      return { flagged: true, change: "raised", flagId: id };
    },
  };
  return { store, open, saved, windows };
}

function deps(store: ScoringStore): ScoringDeps & { published: LiveEvent[] } {
  const published: LiveEvent[] = [];
  return { store, live: { publish: async (e) => void published.push(e) }, logger, now: () => NOW, published };
}

const global20: StoredThreshold = {
  level: "global",
  storeId: null,
  category: null,
  itemId: null,
  threshold: 0.2,
  hysteresis: 0.05,
  minSample: null,
};

describe("the score window", () => {
  it("is whole hours ending with the current one: [⌊now⌋ + 1 h − window, ⌊now⌋ + 1 h)", () => {
    const w = scoreWindow(NOW, 168);
    expect(w.end.toISOString()).toBe("2026-12-01T11:00:00.000Z");
    expect(w.end.getTime() - w.start.getTime()).toBe(168 * HOUR);
  });

  it("scores n and negatives under the store's rule, with the Wilson interval", () => {
    const s = scoreStats(
      [
        { expression: "disgust", count: 15, hesitationCount: 0 },
        { expression: "angry", count: 5, hesitationCount: 0 },
        { expression: "neutral", count: 20, hesitationCount: 6 },
      ],
      { ...DEFAULT_STORE_RULES, includeHesitation: true },
    );
    expect(s).toMatchObject({ n: 40, negatives: 26, rate: 26 / 40 });
    expect(s.lower).toBeLessThan(s.rate);
    expect(s.upper).toBeGreaterThan(s.rate);
  });
});

describe("processScore (one item)", () => {
  it("stores the score over the store's window, raises the flag above the threshold and publishes it", async () => {
    const m = memoryStore({
      thresholds: [global20],
      groups: {
        "snk-1": [
          { expression: "disgust", count: 20, hesitationCount: 0 },
          { expression: "happy", count: 20, hesitationCount: 0 },
        ],
      },
    });
    const d = deps(m.store);
    const out = await processScore(d, { storeId: "s1", itemId: "snk-1" });
    expect(out).toMatchObject({
      n: 40,
      negatives: 20,
      rate: 0.5,
      threshold: 0.2,
      flagged: true,
      change: "raised",
    });
    expect(out.lower).toBeCloseTo(0.3518, 3);
    expect(m.saved.get("snk-1")).toMatchObject({ n: 40, negatives: 20 });
    expect(m.windows[0]!.to.getTime() - m.windows[0]!.from.getTime()).toBe(168 * HOUR);
    expect(d.published).toEqual([
      expect.objectContaining({
        kind: "flag",
        state: "raised",
        itemId: "snk-1",
        flagId: out.flagId,
        threshold: 0.2,
        at: NOW,
      }),
    ]);
  });

  it("below the minimum sample stores the score and changes nothing, publishes nothing", async () => {
    const m = memoryStore({
      thresholds: [global20],
      groups: { "snk-1": [{ expression: "disgust", count: 8, hesitationCount: 0 }] },
    });
    const d = deps(m.store);
    expect(await processScore(d, { storeId: "s1", itemId: "snk-1" })).toMatchObject({
      n: 8,
      rate: 1,
      flagged: false,
      change: null,
    });
    expect(d.published).toEqual([]);
  });

  it("with no applicable threshold keeps an open flag open (threshold null)", async () => {
    const m = memoryStore({
      open: ["snk-1"],
      groups: { "snk-1": [{ expression: "happy", count: 100, hesitationCount: 0 }] },
    });
    expect(await processScore(deps(m.store), { storeId: "s1", itemId: "snk-1" })).toMatchObject({
      flagged: true,
      change: null,
      threshold: null,
      flagId: "flag-snk-1",
    });
  });

  it("rejects a malformed job once, naming the field", async () => {
    const err = await processScore(deps(memoryStore({}).store), { storeId: "s1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobRejected);
    expect((err as JobRejected).message).toMatch(/itemId/);
  });
});

describe("processRescore (a whole store, after an admin's change)", () => {
  it("rescore: recomputes every item under the current rules and returns the changes in item id order", async () => {
    const m = memoryStore({
      rules: { negative: new Set(["disgust"] as const) },
      thresholds: [global20],
      open: ["drk-1"],
      groups: {
        "snk-1": [
          { expression: "disgust", count: 30, hesitationCount: 0 },
          { expression: "happy", count: 10, hesitationCount: 0 },
        ],
        "drk-1": [
          { expression: "angry", count: 30, hesitationCount: 0 },
          { expression: "happy", count: 70, hesitationCount: 0 },
        ],
      },
    });
    const d = deps(m.store);
    const r = await processRescore(d, { storeId: "s1", mode: "rescore", requestId: "audit-1" });
    // Anger no longer counts: drk-1 (0 of 100) clears; snk-1 (30 of 40 disgusted) is raised.
    expect(r.items).toBe(2);
    expect(r.changes.map((c) => [c.itemId, c.state])).toEqual([
      ["drk-1", "cleared"],
      ["snk-1", "raised"],
    ]);
    expect(r.changes.every((c) => c.at === NOW && c.threshold === 0.2)).toBe(true);
    expect(m.saved.get("drk-1")).toMatchObject({ n: 100, negatives: 0 });
    expect(d.published.map((e) => e.kind === "flag" && e.state)).toEqual(["cleared", "raised"]);
  });

  it("redecide: decides from the last scores (no rollups read), with hysteresis", async () => {
    const last = (itemId: string, lower: number): LastScore => ({
      itemId,
      category: "snacks",
      n: 100,
      negatives: 0,
      rate: lower,
      lower,
      upper: lower + 0.1,
      windowStart: new Date(NOW - 168 * HOUR),
      windowEnd: new Date(NOW),
    });
    // Negatives drive the decision: 45/100 (lower ≈ 0.36), 25/100 (≈ 0.17), 5/100 (≈ 0.02).
    const m = memoryStore({
      thresholds: [{ ...global20, threshold: 0.3 }],
      open: ["snk-b"],
      last: [
        { ...last("snk-a", 0.36), negatives: 45 },
        { ...last("snk-b", 0.17), negatives: 25 },
        { ...last("snk-c", 0.02), negatives: 5 },
      ],
    });
    const r = await processRescore(deps(m.store), { storeId: "s1", mode: "redecide", requestId: "audit-2" });
    expect(r.changes.map((c) => [c.itemId, c.state])).toEqual([
      ["snk-a", "raised"],
      ["snk-b", "cleared"], // 0.17 < 0.3 − 0.05
    ]);
    expect(m.windows).toEqual([]);
    expect(m.saved.size).toBe(0);
  });

  it("rejects a job without its mode or request id", async () => {
    await expect(processRescore(deps(memoryStore({}).store), { storeId: "s1" })).rejects.toBeInstanceOf(
      JobRejected,
    );
  });
});
