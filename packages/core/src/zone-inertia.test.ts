import { describe, expect, it } from "vitest";
import { observePlace, type InertiaState, type Place } from "./zone-inertia.ts";

const A: Place = { zoneId: "a", itemId: "x" };
const A2: Place = { zoneId: "a", itemId: "y" };
const B: Place = { zoneId: "b", itemId: null };
const NONE: Place = { zoneId: null, itemId: null };

function run(seq: Place[], frames = 3): { places: Place[]; changes: number } {
  let state: InertiaState | undefined;
  let changes = 0;
  const places: Place[] = [];
  for (const [i, p] of seq.entries()) {
    const r = observePlace(state, p, i * 100, frames);
    state = r.state;
    if (r.changed) changes++;
    places.push(state.place);
  }
  return { places, changes };
}

describe("zone inertia", () => {
  it("enters a zone only after `frames` consecutive frames there", () => {
    const { places } = run([A, A, A, A]);
    expect(places).toEqual([NONE, NONE, A, A]);
  });

  it("keeps one place while a face jitters across a zone edge", () => {
    const { places, changes } = run([A, A, A, B, A, B, B, A, A, B, A]);
    expect(changes).toBe(1); // only the first entry into A
    expect(places.at(-1)).toEqual(A);
  });

  it("moves when the new place holds for `frames` frames, items included", () => {
    const { places, changes } = run([A, A, A, A2, A2, A2, NONE, NONE, NONE]);
    expect(changes).toBe(3);
    expect(places.slice(3)).toEqual([A, A, A2, A2, A2, NONE]);
  });

  it("restarts the count when the candidate changes", () => {
    const { places } = run([A, A, A, B, B, NONE, B, B, B]);
    expect(places.at(-2)).toEqual(A);
    expect(places.at(-1)).toEqual(B);
  });

  it("dates the new place from the first frame of the streak that won", () => {
    let state: InertiaState | undefined;
    const out = [A, B, A, A, A].map((p, i) => {
      const r = observePlace(state, p, i * 100);
      state = r.state;
      return r;
    });
    expect(out[4]).toMatchObject({ changed: true, since: 200 });
  });

  it("can make leaving a place slower than entering one", () => {
    let state: InertiaState | undefined;
    const seq = [A, A, A, B, B, B, B, A, B, B, B, B, B];
    const places = seq.map((p, i) => {
      state = observePlace(state, p, i * 100, 3, 5).state;
      return state.place;
    });
    expect(places[2]).toEqual(A); // entered after 3
    expect(places[6]).toEqual(A); // 4 frames at B: not enough to switch
    expect(places.at(-1)).toEqual(B); // 5 in a row: switched
  });

  it("is immediate with frames = 1", () => {
    expect(run([A, B, A], 1).changes).toBe(3);
  });
});
