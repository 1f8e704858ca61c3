import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseEnv } from "@shelf/core";
import { ZWebEnv } from "@shelf/api/env";
import { chooseMapLibrary } from "./map-choice.ts";

// Stand-ins for the two libraries: which one the loader imports, and what it sets on it.
const loaded = vi.hoisted(() => ({ maplibre: 0, mapbox: 0, mapboxCss: 0 }));
vi.mock("maplibre-gl", () => {
  loaded.maplibre++;
  return { setWorkerUrl: vi.fn(), getVersion: () => "6.0.0-test", Map: class {} };
});
vi.mock("mapbox-gl", () => {
  loaded.mapbox++;
  return { default: { accessToken: null as string | null, Map: class {} } };
});
vi.mock("mapbox-gl/dist/mapbox-gl.css", () => {
  loaded.mapboxCss++;
  return {};
});

describe("choosing the map library", () => {
  it("uses maplibre-gl without a Mapbox token", () => {
    expect(chooseMapLibrary({})).toEqual({ kind: "maplibre" });
    expect(chooseMapLibrary({ NEXT_PUBLIC_MAPBOX_TOKEN: undefined })).toEqual({ kind: "maplibre" });
    expect(chooseMapLibrary({ NEXT_PUBLIC_MAPBOX_TOKEN: "  " })).toEqual({ kind: "maplibre" });
  });

  it("uses mapbox-gl with the token when one is set", () => {
    expect(chooseMapLibrary({ NEXT_PUBLIC_MAPBOX_TOKEN: "pk.test-token" })).toEqual({
      kind: "mapbox",
      accessToken: "pk.test-token",
    });
  });

  it("reads the token from the web app's environment: blank is unset, secret tokens are refused", () => {
    const env = (vars: Record<string, string | undefined>) =>
      chooseMapLibrary(parseEnv(ZWebEnv, { ...vars, NODE_ENV: "test" }));
    expect(env({})).toEqual({ kind: "maplibre" });
    expect(env({ NEXT_PUBLIC_MAPBOX_TOKEN: "" })).toEqual({ kind: "maplibre" });
    expect(env({ NEXT_PUBLIC_MAPBOX_TOKEN: " pk.abc " })).toEqual({ kind: "mapbox", accessToken: "pk.abc" });
    expect(() => env({ NEXT_PUBLIC_MAPBOX_TOKEN: "sk.secret" })).toThrow(
      /NEXT_PUBLIC_MAPBOX_TOKEN.*public token/,
    );
  });
});

describe("loading the map library", () => {
  beforeEach(() => {
    vi.resetModules();
    Object.assign(loaded, { maplibre: 0, mapbox: 0, mapboxCss: 0 });
  });

  it("never imports mapbox-gl on the token-free path", async () => {
    const { loadMapLibrary } = await import("./map-library.ts");
    const lib = (await loadMapLibrary({ kind: "maplibre" })) as unknown as {
      setWorkerUrl: (u: string) => void;
    };
    expect(loaded).toEqual({ maplibre: 1, mapbox: 0, mapboxCss: 0 });
    expect(lib.setWorkerUrl).toHaveBeenCalledWith("/vendor/maplibre-gl-worker.mjs?v=6.0.0-test");
    await loadMapLibrary({ kind: "maplibre" });
    expect(loaded.maplibre).toBe(1); // loaded once per page
  });

  it("imports mapbox-gl (and its stylesheet) with a token, and sets the token on it", async () => {
    const { loadMapLibrary } = await import("./map-library.ts");
    const lib = (await loadMapLibrary({ kind: "mapbox", accessToken: "pk.test-token" })) as unknown as {
      accessToken: string;
    };
    expect(loaded).toEqual({ maplibre: 0, mapbox: 1, mapboxCss: 1 });
    expect(lib.accessToken).toBe("pk.test-token");
  });
});
