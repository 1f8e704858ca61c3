import type * as MapLibre from "maplibre-gl";

/**
 * The map library, loaded on demand (a page without a map never downloads it). maplibre-gl needs no access
 * token and no tile server: the floor plan is drawn from our own GeoJSON. mapbox-gl v1-compatible APIs mean
 * a Mapbox build could be swapped in here when a token is configured; only maplibre-gl is installed.
 */
export type MapLibrary = typeof MapLibre;

let loading: Promise<MapLibrary> | undefined;

export function loadMapLibrary(): Promise<MapLibrary> {
  loading ??= import("maplibre-gl").then((lib) => {
    // Served by app/vendor/maplibre-gl-worker.mjs: the bundled copy of the library cannot find its worker.
    lib.setWorkerUrl(`/vendor/maplibre-gl-worker.mjs?v=${lib.getVersion()}`);
    return lib;
  });
  return loading;
}
