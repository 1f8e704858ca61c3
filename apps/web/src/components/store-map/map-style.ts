import type { FeatureCollection, Polygon, Point } from "geojson";
import type { StyleSpecification as MapboxStyle } from "mapbox-gl";
import type { StyleSpecification as MaplibreStyle } from "maplibre-gl";

/**
 * The store map's one style spec (shared by every map of the app, for maplibre-gl and mapbox-gl). No tiles, no glyphs, no sprites: a
 * background, the floor plan, the shelf zones coloured by negative-expression rate, and a heatmap of interactions,
 * all from GeoJSON sources filled at run time. Labels are HTML markers (so no font server is needed).
 *
 * Floor coordinates (FloorM: metres, x right, y down from the plan's top-left) are drawn as longitude
 * x·DEG_PER_M and latitude −y·DEG_PER_M: next to (0, 0), where Web Mercator is flat to far below a
 * millimetre over a shop floor.
 */
export const DEG_PER_M = 1e-4;

export function toLngLat(p: { x: number; y: number }): [number, number] {
  return [p.x * DEG_PER_M, -p.y * DEG_PER_M];
}

/** Heat radius in metres on the floor. */
const HEAT_RADIUS_M = 1.4;

/** Pixels per metre at a zoom (512 px tiles, 360° per world at zoom 0). */
function pxPerM(zoom: number): number {
  return ((512 * 2 ** zoom) / 360) * DEG_PER_M;
}

/** Negative-expression rate (0–1) → fill colour: green (few) to red (many). */
export const REJECTION_RAMP: [number, string][] = [
  [0, "#bbf7d0"],
  [0.1, "#fef08a"],
  [0.25, "#fdba74"],
  [0.4, "#f87171"],
  [0.6, "#b91c1c"],
];

const empty: FeatureCollection = { type: "FeatureCollection", features: [] };

/** A style both libraries accept as it is (the compiler checks the spec below against both style specs). */
export type FloorMapStyle = MaplibreStyle & MapboxStyle;

export function floorMapStyle(): FloorMapStyle {
  return {
    version: 8,
    sources: {
      plan: { type: "geojson", data: empty },
      zones: { type: "geojson", data: empty, promoteId: "id" },
      heat: { type: "geojson", data: empty },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#cbd5e1" } },
      { id: "plan", type: "fill", source: "plan", paint: { "fill-color": "#f8fafc" } },
      {
        id: "plan-outline",
        type: "line",
        source: "plan",
        paint: { "line-color": "#475569", "line-width": 2 },
      },
      {
        id: "zones",
        type: "fill",
        source: "zones",
        paint: {
          "fill-color": [
            "case",
            ["get", "staffOnly"],
            "#e2e8f0",
            ["has", "rate"],
            ["interpolate", ["linear"], ["get", "rate"], ...REJECTION_RAMP.flat()],
            "#f1f5f9",
          ],
          "fill-opacity": ["case", ["boolean", ["feature-state", "selected"], false], 0.95, 0.75],
        },
      },
      {
        id: "zones-outline",
        type: "line",
        source: "zones",
        filter: ["!", ["get", "staffOnly"]],
        paint: {
          "line-color": ["case", ["boolean", ["feature-state", "selected"], false], "#0f172a", "#64748b"],
          "line-width": ["case", ["boolean", ["feature-state", "selected"], false], 3, 1],
        },
      },
      {
        id: "zones-staff-outline",
        type: "line",
        source: "zones",
        filter: ["get", "staffOnly"],
        paint: { "line-color": "#64748b", "line-width": 1.5, "line-dasharray": [2, 2] },
      },
      {
        id: "heat",
        type: "heatmap",
        source: "heat",
        paint: {
          "heatmap-weight": ["get", "w"],
          "heatmap-intensity": 1.2,
          "heatmap-radius": [
            "interpolate",
            ["exponential", 2],
            ["zoom"],
            10,
            HEAT_RADIUS_M * pxPerM(10),
            24,
            HEAT_RADIUS_M * pxPerM(24),
          ],
          "heatmap-opacity": 0.85,
          "heatmap-color": [
            "interpolate",
            ["linear"],
            ["heatmap-density"],
            0,
            "rgba(59,130,246,0)",
            0.15,
            "rgba(59,130,246,0.55)",
            0.4,
            "rgba(16,185,129,0.75)",
            0.65,
            "rgba(250,204,21,0.85)",
            1,
            "rgba(220,38,38,0.95)",
          ],
        },
      },
    ],
  };
}

export type ZoneFeatures = FeatureCollection<
  Polygon,
  { id: string; name: string; staffOnly: boolean; rate?: number }
>;
export type HeatFeatures = FeatureCollection<Point, { w: number }>;
