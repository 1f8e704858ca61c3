/**
 * Which map library draws the store map. maplibre-gl needs no token and no tile server (the floor plan is
 * our own GeoJSON), so it is the default; with a Mapbox public token configured (NEXT_PUBLIC_MAPBOX_TOKEN,
 * see src/env.ts) the same style and component run on mapbox-gl v3 instead.
 */
export type MapLibraryChoice = { kind: "maplibre" } | { kind: "mapbox"; accessToken: string };

/** The library for an environment: mapbox-gl when a token is set (blank counts as unset), else maplibre-gl. */
export function chooseMapLibrary(env: { NEXT_PUBLIC_MAPBOX_TOKEN?: string | undefined }): MapLibraryChoice {
  const token = env.NEXT_PUBLIC_MAPBOX_TOKEN?.trim();
  return token ? { kind: "mapbox", accessToken: token } : { kind: "maplibre" };
}
