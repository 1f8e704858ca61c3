import type { FeatureCollection, Feature, Geometry } from "geojson";
import type { MapLibraryChoice } from "./map-choice.ts";
import type { FloorMapStyle } from "./map-style.ts";

/**
 * What the store map uses of a map library: the part of the API maplibre-gl and mapbox-gl v3 share, so one
 * component drives either (both are checked against it where they are loaded, below). Coordinates are
 * [lng, lat] in the map's degrees (see map-style.ts for the floor ↔ degrees mapping).
 */
export interface MapLibrary {
  Map: new (options: MapOptions) => StoreMapInstance;
  NavigationControl: new (options?: { showCompass?: boolean }) => MapControl;
  Popup: new (options?: { closeButton?: boolean; closeOnClick?: boolean; maxWidth?: string }) => MapPopup;
  Marker: new (options?: { element?: HTMLElement }) => MapMarker;
}

export interface MapOptions {
  container: HTMLElement;
  style: FloorMapStyle;
  center: [number, number];
  zoom: number;
  maxZoom: number;
  attributionControl: false;
  renderWorldCopies: boolean;
  dragRotate: boolean;
  pitchWithRotate: boolean;
}

type LngLat = [number, number];
/** A marker or control the library made: opaque to us. */
type MapControl = object;

/** A mouse event on a layer (features: those under the pointer, topmost first). */
export interface LayerMouseEvent {
  features?: { properties: Record<string, unknown> | null }[];
}

export interface StoreMapInstance {
  touchZoomRotate: { disableRotation(): void };
  addControl(control: MapControl, position: "top-right"): unknown;
  getCanvas(): HTMLCanvasElement;
  on(type: "load" | "idle", listener: () => void): unknown;
  on(type: "error", listener: (e: { error?: { message?: string } }) => void): unknown;
  on(type: "mousemove" | "mouseleave", layerId: string, listener: (e: LayerMouseEvent) => void): unknown;
  off(type: "mousemove" | "mouseleave", layerId: string, listener: (e: LayerMouseEvent) => void): unknown;
  once(type: "idle", listener: () => void): unknown;
  getSource(id: string): unknown;
  fitBounds(bounds: [LngLat, LngLat], options: { padding: number; animate: boolean }): unknown;
  setFeatureState(feature: { source: string; id: string }, state: Record<string, unknown>): void;
  remove(): void;
}

/** The GeoJSON sources of the floor style (plan, zones, heat). */
export interface GeoJsonSourceLike {
  setData(data: FeatureCollection | Feature<Geometry>): unknown;
}

export interface MapPopup {
  setLngLat(lngLat: LngLat): this;
  setDOMContent(node: Node): this;
  addTo(map: StoreMapInstance): this;
  remove(): unknown;
}

export interface MapMarker {
  setLngLat(lngLat: LngLat): this;
  addTo(map: StoreMapInstance): this;
  remove(): unknown;
}

const loading = new Map<MapLibraryChoice["kind"], Promise<MapLibrary>>();

/**
 * The map library, loaded on demand: a page without a map downloads neither, and without a Mapbox token
 * mapbox-gl is never downloaded (its import is only reached in that branch).
 */
export function loadMapLibrary(choice: MapLibraryChoice): Promise<MapLibrary> {
  let lib = loading.get(choice.kind);
  if (!lib) {
    lib = choice.kind === "mapbox" ? loadMapbox(choice.accessToken) : loadMaplibre();
    loading.set(choice.kind, lib);
    lib.catch(() => loading.delete(choice.kind));
  }
  return lib;
}

async function loadMaplibre(): Promise<MapLibrary> {
  const lib = await import("maplibre-gl");
  // Served by app/vendor/maplibre-gl-worker.mjs: the bundled copy of the library cannot find its worker.
  lib.setWorkerUrl(`/vendor/maplibre-gl-worker.mjs?v=${lib.getVersion()}`);
  return lib;
}

async function loadMapbox(accessToken: string): Promise<MapLibrary> {
  // The UMD build carries its own worker (started from a blob): nothing to serve.
  const [{ default: lib }] = await Promise.all([import("mapbox-gl"), import("mapbox-gl/dist/mapbox-gl.css")]);
  lib.accessToken = accessToken;
  return lib;
}
