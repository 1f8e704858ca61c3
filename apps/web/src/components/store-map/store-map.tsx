"use client";

import "maplibre-gl/dist/maplibre-gl.css";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { EXPRESSIONS, type Expression } from "@shelf/core";
import { ExpressionMix } from "~/components/expression-mix";
import { ErrorNotice } from "~/components/notice";
import { focusRing } from "~/lib/classes";
import { pct, rateWithBounds } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { EXPRESSION_COLOR } from "~/components/charts/expression-stack-chart";
import type { MapLibraryChoice } from "./map-choice";
import {
  loadMapLibrary,
  type GeoJsonSourceLike,
  type LayerMouseEvent,
  type MapMarker,
  type MapPopup,
  type StoreMapInstance,
} from "./map-library";
import { floorMapStyle, REJECTION_RAMP, toLngLat, type HeatFeatures, type ZoneFeatures } from "./map-style";

type Input = { storeSlug: string; from: Date; to: Date; floorPlanId?: string };

/**
 * The store map: the floor plan with its shelf zones coloured by negative-expression rate and a heatmap of
 * interactions, filtered by dominant expression. Hover a zone (or pick it in the list, by keyboard) for its
 * numbers. Cells with fewer than k interactions have no colour and add no heat. `library`: maplibre-gl, or
 * mapbox-gl when a token is configured (see map-choice.ts).
 */
export function StoreMap({ input, library: given }: { input: Input; library: MapLibraryChoice }) {
  const trpc = useTRPC();
  // By value: each server render (a new date range) hands over a new object, which must not rebuild the map.
  const token = given.kind === "mapbox" ? given.accessToken : null;
  const library = useMemo<MapLibraryChoice>(
    () => (token ? { kind: "mapbox", accessToken: token } : { kind: "maplibre" }),
    [token],
  );
  const [expressions, setExpressions] = useState<Expression[]>([...EXPRESSIONS]);
  const all = expressions.length === EXPRESSIONS.length;
  const { data, isFetching, error } = useQuery({
    ...trpc.reports.storeMap.queryOptions(all ? input : { ...input, expressions }),
    placeholderData: keepPreviousData,
  });
  const [selected, setSelected] = useState<string | null>(null);
  const [mapError, setMapError] = useState<string | null>(null);
  const [state, setState] = useState<"loading" | "ready">("loading");
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<StoreMapInstance | null>(null);
  const markers = useRef<MapMarker[]>([]);
  const popup = useRef<MapPopup | null>(null);
  const [loaded, setLoaded] = useState(false);

  // Create the map once.
  useEffect(() => {
    let cancelled = false;
    let map: StoreMapInstance | undefined;
    loadMapLibrary(library)
      .then((lib) => {
        if (cancelled || !container.current) return;
        const created = new lib.Map({
          container: container.current,
          style: floorMapStyle(),
          center: [0, 0],
          zoom: 18,
          maxZoom: 24,
          attributionControl: false,
          renderWorldCopies: false,
          dragRotate: false,
          pitchWithRotate: false,
        });
        map = created;
        created.touchZoomRotate.disableRotation();
        created.addControl(new lib.NavigationControl({ showCompass: false }), "top-right");
        created
          .getCanvas()
          .setAttribute("aria-label", "Store map: drag or use the arrow keys to pan, + and − to zoom");
        popup.current = new lib.Popup({ closeButton: false, closeOnClick: false, maxWidth: "280px" });
        created.on("load", () => !cancelled && setLoaded(true));
        created.on("error", (e) => console.error("map:", e.error?.message ?? e));
        mapRef.current = created;
      })
      .catch((err: unknown) => setMapError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
      markers.current.forEach((m) => m.remove());
      map?.remove();
      mapRef.current = null;
    };
  }, [library]);

  const zonesById = useMemo(() => new Map((data?.zones ?? []).map((z) => [z.id, z])), [data]);

  // Draw the data.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !data) return;
    let cancelled = false;
    setState("loading");
    const { widthM, heightM } = data.floorPlan;
    const rect = [
      toLngLat({ x: 0, y: 0 }),
      toLngLat({ x: widthM, y: 0 }),
      toLngLat({ x: widthM, y: heightM }),
      toLngLat({ x: 0, y: heightM }),
    ];
    const planSource = map.getSource("plan") as GeoJsonSourceLike;
    planSource.setData({
      type: "Feature",
      properties: {},
      geometry: { type: "Polygon", coordinates: [[...rect, rect[0]!]] },
    });
    const zones: ZoneFeatures = {
      type: "FeatureCollection",
      features: data.zones.map((z) => ({
        type: "Feature",
        properties: {
          id: z.id,
          name: z.name,
          staffOnly: z.staffOnly,
          ...(z.rejection ? { rate: z.rejection.rate } : {}),
        },
        geometry: { type: "Polygon", coordinates: [[...z.polygon.map(toLngLat), toLngLat(z.polygon[0]!)]] },
      })),
    };
    (map.getSource("zones") as GeoJsonSourceLike).setData(zones);
    const max = Math.max(1, ...data.heat.map((h) => h.weight));
    const heat: HeatFeatures = {
      type: "FeatureCollection",
      features: data.heat.map((h) => ({
        type: "Feature",
        properties: { w: h.weight / max },
        geometry: { type: "Point", coordinates: toLngLat(h) },
      })),
    };
    (map.getSource("heat") as GeoJsonSourceLike).setData(heat);
    void loadMapLibrary(library).then((lib) => {
      if (cancelled) return;
      markers.current.forEach((m) => m.remove());
      markers.current = data.zones.map((z) => {
        const el = document.createElement("div");
        el.className =
          "pointer-events-none rounded bg-white/85 px-1.5 py-0.5 text-xs font-medium text-slate-800 shadow-sm";
        el.textContent = z.name;
        const c = z.polygon.reduce(
          (a, p) => ({ x: a.x + p.x / z.polygon.length, y: a.y + p.y / z.polygon.length }),
          { x: 0, y: 0 },
        );
        return new lib.Marker({ element: el }).setLngLat(toLngLat(c)).addTo(map);
      });
    });
    map.fitBounds([toLngLat({ x: 0, y: heightM }), toLngLat({ x: widthM, y: 0 })], {
      padding: 24,
      animate: false,
    });
    map.once("idle", () => !cancelled && setState("ready"));
    return () => {
      cancelled = true;
    };
  }, [data, loaded, library]);

  // Hover and selection.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const move = (e: LayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      if (id) setSelected(id);
      map.getCanvas().style.cursor = id ? "pointer" : "";
    };
    const leave = () => {
      map.getCanvas().style.cursor = "";
      setSelected(null);
    };
    map.on("mousemove", "zones", move);
    map.on("mouseleave", "zones", leave);
    return () => {
      map.off("mousemove", "zones", move);
      map.off("mouseleave", "zones", leave);
    };
  }, [loaded]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    for (const z of data?.zones ?? [])
      map.setFeatureState({ source: "zones", id: z.id }, { selected: z.id === selected });
    const zone = selected ? zonesById.get(selected) : undefined;
    if (!zone || !popup.current) {
      popup.current?.remove();
      return;
    }
    const c = zone.polygon.reduce(
      (a, p) => ({ x: a.x + p.x / zone.polygon.length, y: a.y + p.y / zone.polygon.length }),
      { x: 0, y: 0 },
    );
    const el = document.createElement("div");
    el.className = "space-y-1 text-xs";
    const title = document.createElement("p");
    title.className = "font-semibold";
    title.textContent = zone.name;
    el.append(title);
    const lines = zone.staffOnly
      ? ["Staff only: never analysed."]
      : [
          `${zone.n} interactions`,
          zone.hidden
            ? `details hidden (n < ${data!.k})`
            : `negative-expression rate ${rateWithBounds(zone.rejection)}`,
          ...zone.items.map(
            (i) => `${i.name}: ${i.n}${i.rejection ? `, negative ${pct(i.rejection.rate)}` : ""}`,
          ),
        ];
    for (const line of lines) {
      const p = document.createElement("p");
      p.textContent = line;
      el.append(p);
    }
    popup.current.setLngLat(toLngLat(c)).setDOMContent(el).addTo(map);
  }, [selected, zonesById, data, loaded]);

  if (error && !data) return <ErrorNotice>The map data could not be loaded: {error.message}</ErrorNotice>;

  const toggle = (e: Expression) =>
    setExpressions((cur) =>
      cur.includes(e)
        ? cur.length === 1
          ? cur
          : cur.filter((x) => x !== e)
        : EXPRESSIONS.filter((x) => x === e || cur.includes(x)),
    );

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-2">
        {mapError ? (
          <ErrorNotice>
            The map could not start ({mapError}). It needs WebGL; the zone list beside it has the same
            numbers.
          </ErrorNotice>
        ) : null}
        <div
          ref={container}
          className="relative h-[28rem] overflow-hidden rounded-lg border border-slate-300 bg-slate-200"
          data-testid="store-map"
          data-map-state={state}
          data-heat-points={data?.heat.length ?? 0}
          aria-busy={state !== "ready" || isFetching}
        />
        <div className="flex flex-wrap items-center gap-4 text-xs text-slate-600">
          <span className="flex items-center gap-1">
            Negative-expression rate:
            {REJECTION_RAMP.map(([v, c]) => (
              <span key={v} className="flex items-center gap-0.5">
                <span
                  className="inline-block h-3 w-4 rounded-sm border border-slate-300"
                  style={{ background: c }}
                  aria-hidden
                />
                {pct(v)}
              </span>
            ))}
          </span>
          <span className="flex items-center gap-1">
            <span
              className="inline-block h-3 w-4 rounded-sm border border-slate-300 bg-slate-100"
              aria-hidden
            />{" "}
            fewer than k = {data?.k ?? "…"}
          </span>
          <span className="flex items-center gap-1">
            <span
              className="inline-block h-3 w-4 rounded-sm border border-dashed border-slate-500 bg-slate-200"
              aria-hidden
            />{" "}
            staff only
          </span>
        </div>
      </div>
      <div className="space-y-4">
        <fieldset className="rounded-lg border border-slate-200 bg-white p-3">
          <legend className="px-1 text-sm font-medium">Heatmap of interactions with</legend>
          <div className="grid grid-cols-2 gap-1 text-sm">
            {EXPRESSIONS.map((e) => (
              <label key={e} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={expressions.includes(e)}
                  onChange={() => toggle(e)}
                  className={focusRing}
                  data-testid={`heat-${e}`}
                />
                <span
                  className="inline-block h-2.5 w-2.5 rounded-sm"
                  style={{ background: EXPRESSION_COLOR[e] }}
                  aria-hidden
                />
                {e}
              </label>
            ))}
          </div>
          <div className="mt-2 flex gap-2 text-xs">
            <button
              type="button"
              className={`underline ${focusRing}`}
              onClick={() => setExpressions([...EXPRESSIONS])}
            >
              all
            </button>
            <button
              type="button"
              className={`underline ${focusRing}`}
              // The store's own negative set (its rules), not a fixed one.
              onClick={() => data && setExpressions(data.negativeExpressions)}
              disabled={!data}
            >
              negative only
            </button>
          </div>
        </fieldset>
        <div>
          <h2 className="mb-2 text-sm font-medium">Zones</h2>
          <ul className="space-y-2" data-testid="zone-list">
            {(data?.zones ?? []).map((z) => (
              <li key={z.id}>
                <button
                  type="button"
                  className={`w-full rounded-lg border p-3 text-left text-sm ${focusRing} ${selected === z.id ? "border-slate-900 bg-slate-50" : "border-slate-200 bg-white"}`}
                  onMouseEnter={() => setSelected(z.id)}
                  onFocus={() => setSelected(z.id)}
                  onClick={() => setSelected(z.id)}
                  aria-pressed={selected === z.id}
                  data-testid="zone-entry"
                >
                  <span className="flex justify-between font-medium">
                    <span>{z.name}</span>
                    <span className="tabular-nums text-slate-500">
                      {z.staffOnly ? "staff only" : `${z.n} interactions`}
                    </span>
                  </span>
                  {z.staffOnly ? null : (
                    <span className="mt-1 block text-xs text-slate-600">
                      {z.hidden
                        ? `details hidden (n < ${data!.k})`
                        : `negative-expression rate ${rateWithBounds(z.rejection)}`}
                    </span>
                  )}
                  {z.mix ? (
                    <span className="mt-2 block">
                      <ExpressionMix mix={z.mix} />
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
