import { describe, expect, it } from "vitest";
import {
  activeSurveyItems,
  CLAIM_COOLDOWNS_LUA,
  cooldownKeys,
  decideKioskPrompt,
  DEFAULT_MAX_EVENT_AGE_MS,
  mayPrompt,
  parsePendingPrompt,
  pendingPromptKey,
  PROMPT_VALID_MS,
  promptDeliveredKey,
  surveyIsActive,
  type KioskPromptInput,
} from "./triggers.ts";

const now = 1_800_000_000_000;
const cooldowns = { kioskMs: 120_000, itemMs: 600_000 };

function input(
  over: Partial<KioskPromptInput> = {},
  event: Partial<KioskPromptInput["event"]> = {},
): KioskPromptInput {
  return {
    event: { storeId: "s1", zoneId: "z1", itemId: "i1", negative: true, at: now - 1000, ...event },
    kiosks: [{ id: "k1", zoneId: "z1" }],
    activeItemIds: new Set(["i1"]),
    lastPromptAt: { kiosk: {}, item: {} },
    cooldowns,
    now,
    ...over,
  };
}

describe("decideKioskPrompt", () => {
  it("prompts the kiosk serving the zone of a negative interaction at a flagged item", () => {
    expect(decideKioskPrompt(input())).toEqual({
      prompt: true,
      kioskId: "k1",
      itemId: "i1",
      zoneId: "z1",
      kioskCooldownUntil: now + 120_000,
      itemCooldownUntil: now + 600_000,
    });
  });

  it("skips non-negative interactions, interactions without an item and unflagged items", () => {
    expect(decideKioskPrompt(input({}, { negative: false }))).toEqual({
      prompt: false,
      reason: "not-negative",
    });
    expect(decideKioskPrompt(input({}, { itemId: null }))).toEqual({ prompt: false, reason: "no-item" });
    expect(decideKioskPrompt(input({ activeItemIds: new Set(["other"]) }))).toEqual({
      prompt: false,
      reason: "not-flagged",
    });
  });

  it("skips stale events (the shopper has walked on) but accepts one exactly at the age limit", () => {
    expect(decideKioskPrompt(input({}, { at: now - DEFAULT_MAX_EVENT_AGE_MS - 1 }))).toMatchObject({
      prompt: false,
      reason: "stale",
    });
    expect(decideKioskPrompt(input({}, { at: now - DEFAULT_MAX_EVENT_AGE_MS })).prompt).toBe(true);
    expect(decideKioskPrompt(input({ maxEventAgeMs: 500 })).prompt).toBe(false);
    // A publisher's clock a little ahead is not stale.
    expect(decideKioskPrompt(input({}, { at: now + 5000 })).prompt).toBe(true);
  });

  it("skips when no kiosk serves the zone (other zone, or a kiosk without a zone)", () => {
    expect(decideKioskPrompt(input({ kiosks: [{ id: "k1", zoneId: "z2" }] }))).toEqual({
      prompt: false,
      reason: "no-kiosk",
    });
    expect(decideKioskPrompt(input({ kiosks: [{ id: "k1", zoneId: null }] }))).toEqual({
      prompt: false,
      reason: "no-kiosk",
    });
    expect(decideKioskPrompt(input({ kiosks: [] }))).toMatchObject({ reason: "no-kiosk" });
  });

  it("honours the item cooldown across kiosks, to the millisecond", () => {
    const last = now - 600_000 + 1;
    expect(decideKioskPrompt(input({ lastPromptAt: { kiosk: {}, item: { i1: last } } }))).toEqual({
      prompt: false,
      reason: "item-cooldown",
      retryAt: now + 1,
    });
    expect(
      decideKioskPrompt(input({ lastPromptAt: { kiosk: {}, item: { i1: now - 600_000 } } })).prompt,
    ).toBe(true);
    // Another item's cooldown does not matter.
    expect(decideKioskPrompt(input({ lastPromptAt: { kiosk: {}, item: { i2: now } } })).prompt).toBe(true);
  });

  it("honours the kiosk cooldown and reports when the first kiosk frees up", () => {
    const kiosks = [
      { id: "k1", zoneId: "z1" },
      { id: "k2", zoneId: "z1" },
    ];
    expect(
      decideKioskPrompt(
        input({ kiosks, lastPromptAt: { kiosk: { k1: now - 10_000, k2: now - 50_000 }, item: {} } }),
      ),
    ).toEqual({ prompt: false, reason: "kiosk-cooldown", retryAt: now - 50_000 + 120_000 });
    expect(
      decideKioskPrompt(input({ lastPromptAt: { kiosk: { k1: now - 120_000 }, item: {} } })).prompt,
    ).toBe(true);
  });

  it("rotates among kiosks of one zone: never-prompted first, then least recently, ties by id", () => {
    const kiosks = [
      { id: "k3", zoneId: "z1" },
      { id: "k1", zoneId: "z1" },
      { id: "k2", zoneId: "z1" },
      { id: "k0", zoneId: "z9" },
    ];
    const pick = (kiosk: Record<string, number>) =>
      decideKioskPrompt(input({ kiosks, lastPromptAt: { kiosk, item: {} } }));
    expect(pick({})).toMatchObject({ kioskId: "k1" });
    expect(pick({ k1: now - 500_000 })).toMatchObject({ kioskId: "k2" });
    expect(pick({ k1: now - 500_000, k2: now - 400_000, k3: now - 300_000 })).toMatchObject({
      kioskId: "k1",
    });
    // k1 in cooldown → the freer of the others.
    expect(pick({ k1: now - 1, k2: now - 400_000, k3: now - 300_000 })).toMatchObject({ kioskId: "k2" });
  });

  it("zero cooldowns always allow a prompt", () => {
    const zero = { kioskMs: 0, itemMs: 0 };
    expect(
      decideKioskPrompt(input({ cooldowns: zero, lastPromptAt: { kiosk: { k1: now }, item: { i1: now } } }))
        .prompt,
    ).toBe(true);
  });

  it("a sequence of events prompts once per cooldown window", () => {
    const last = { kiosk: {} as Record<string, number>, item: {} as Record<string, number> };
    const prompted: number[] = [];
    for (let t = now; t < now + 30 * 60_000; t += 30_000) {
      const d = decideKioskPrompt(input({ now: t, lastPromptAt: last }, { at: t }));
      if (d.prompt) {
        prompted.push(t);
        last.kiosk[d.kioskId] = t;
        last.item[d.itemId] = t;
      }
    }
    // Item cooldown (10 min) dominates the kiosk cooldown (2 min): t = 0, 10, 20 min.
    expect(prompted.map((t) => (t - now) / 60_000)).toEqual([0, 10, 20]);
  });
});

describe("cooldowns and flags", () => {
  it("hands only negative interactions at an item to the trigger engine, as decideKioskPrompt would", () => {
    expect(mayPrompt({ negative: true, itemId: "i1" })).toBe(true);
    expect(mayPrompt({ negative: false, itemId: "i1" })).toBe(false);
    expect(mayPrompt({ negative: true, itemId: null })).toBe(false);
    for (const event of [
      { negative: false, itemId: "i1" },
      { negative: true, itemId: null },
    ])
      expect(decideKioskPrompt(input({}, event)).prompt).toBe(false);
  });

  it("runs a survey while its item is flagged, unless an operator started or stopped it", () => {
    expect(surveyIsActive({ run: null, flagOpen: true })).toBe(true);
    expect(surveyIsActive({ run: null, flagOpen: false })).toBe(false);
    expect(surveyIsActive({ run: { running: false }, flagOpen: true })).toBe(false);
    expect(surveyIsActive({ run: { running: true }, flagOpen: false })).toBe(true);
  });

  it("treats only open flags of the store as active surveys", () => {
    const active = activeSurveyItems("s1", [
      { storeId: "s1", itemId: "a", clearedAt: null },
      { storeId: "s1", itemId: "b", clearedAt: new Date() },
      { storeId: "s2", itemId: "c", clearedAt: null },
    ]);
    expect([...active]).toEqual(["a"]);
  });

  it("names cooldown keys under the prefix, item keys per store", () => {
    expect(cooldownKeys({ storeId: "s", kioskId: "k", itemId: "i" }, "p")).toEqual({
      kiosk: "p:survey:cooldown:kiosk:k",
      item: "p:survey:cooldown:item:s:i",
    });
    expect(cooldownKeys({ storeId: "s", kioskId: "k", itemId: "i" }).kiosk).toMatch(/^shelf:/);
    expect(CLAIM_COOLDOWNS_LUA).toContain("EXISTS");
  });
});

describe("waiting prompts", () => {
  const event = {
    kind: "survey-prompt" as const,
    storeId: "s1",
    kioskId: "k1",
    zoneId: "z1",
    itemId: "i1",
    promptId: "prompt-0001",
    at: now,
    reason: "negative-interaction" as const,
  };

  it("wait for their kiosk as long as an interaction may prompt at all", () => {
    expect(PROMPT_VALID_MS).toBe(DEFAULT_MAX_EVENT_AGE_MS);
    expect(pendingPromptKey("k1", "p")).toBe("p:survey:prompt:kiosk:k1");
    expect(promptDeliveredKey("prompt-0001", "p")).toBe("p:survey:prompt:delivered:prompt-0001");
  });

  it("parse back what was stored, and nothing else", () => {
    const stored = JSON.stringify({ event, expiresAt: now + PROMPT_VALID_MS });
    expect(parsePendingPrompt(stored)).toEqual({ event, expiresAt: now + PROMPT_VALID_MS });
    expect(parsePendingPrompt(null)).toBeNull();
    expect(parsePendingPrompt("{")).toBeNull();
    expect(parsePendingPrompt(JSON.stringify({ event: { ...event, token: "x" }, expiresAt: 1 }))).toBeNull();
  });
});
