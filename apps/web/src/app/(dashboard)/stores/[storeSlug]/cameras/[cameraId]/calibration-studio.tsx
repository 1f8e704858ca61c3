"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState, type MouseEvent } from "react";
import {
  estimateHomography,
  fieldOfView,
  floorToFrame,
  frontSign,
  headPlaneFromFloor,
  HomographyError,
  invertHomography,
  transferErrors,
  type FloorMPoint,
  type FramePxPoint,
} from "@shelf/core";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { button, dangerButton, input, label, secondaryButton, table, td, th } from "~/lib/classes";
import { dateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

interface Pair {
  frame: FramePxPoint | null;
  floor: FloorMPoint | null;
}

/** SVG user coordinates of a click (the viewBox is the frame in px, or the plan in m). */
function svgPoint(event: MouseEvent<SVGSVGElement>): { x: number; y: number } {
  const svg = event.currentTarget;
  const ctm = svg.getScreenCTM();
  if (!ctm) return { x: 0, y: 0 };
  const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
  return { x: p.x, y: p.y };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const PAIR_COLORS = ["#dc2626", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
const colorOf = (i: number) => PAIR_COLORS[i % PAIR_COLORS.length]!;

export function CalibrationStudio({
  storeSlug,
  cameraId,
  timeZone,
}: {
  storeSlug: string;
  cameraId: string;
  timeZone: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.cameras.calibration.queryOptions({ storeSlug, cameraId }));
  const { camera, floorPlan, zones, latest, history } = data;
  const W = camera.widthPx;
  const H = camera.heightPx;
  const saved = (latest?.pointPairs ?? []).map((p) => ({ frame: p.frame, floor: p.floor }));
  const [pairs, setPairs] = useState<Pair[]>(saved);
  const [headHeightM, setHeadHeightM] = useState(latest?.headHeightM ?? 1.5);
  const [baseVersion, setBaseVersion] = useState(latest?.version ?? 0);
  const save = useMutation(
    trpc.cameras.saveCalibration.mutationOptions({
      onSuccess: async (result) => {
        setBaseVersion(result.version);
        await queryClient.invalidateQueries({ queryKey: trpc.cameras.pathKey() });
      },
    }),
  );
  const frameSvg = useRef<SVGSVGElement>(null);

  const complete = pairs.filter(
    (p): p is { frame: FramePxPoint; floor: FloorMPoint } => !!p.frame && !!p.floor,
  );
  const open = pairs.findIndex((p) => !p.frame || !p.floor);

  const fit = useMemo(() => {
    if (complete.length < 4) return null;
    try {
      const estimate = estimateHomography(complete);
      const residuals = transferErrors(estimate.homography, complete);
      let head: { ok: true; cameraHeightM: number } | { ok: false; reason: string };
      try {
        head = {
          ok: true,
          cameraHeightM: headPlaneFromFloor(estimate.homography, { width: W, height: H }, headHeightM)
            .cameraHeightM,
        };
      } catch (err) {
        head = { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
      const fov = fieldOfView(estimate.homography, { width: W, height: H }, floorPlan, complete[0]!.frame);
      return { ok: true as const, estimate, residuals, head, fov };
    } catch (err) {
      if (err instanceof HomographyError) return { ok: false as const, message: err.message };
      throw err;
    }
  }, [complete, W, H, headHeightM, floorPlan]);

  // Zones drawn onto the camera image through the inverse mapping: a direct check of the calibration.
  const zonesInFrame = useMemo(() => {
    if (!fit?.ok) return [];
    const inv = invertHomography(fit.estimate.homography);
    // A calibration floor point is in front of the camera: its side of the inverse's horizon is the seen side.
    const side = frontSign(inv, complete[0]!.floor);
    return zones.flatMap((z) => {
      const pts = z.polygon.map((p) => floorToFrame(inv, p, side));
      return pts.every((p) => p)
        ? [{ id: z.id, name: z.name, staffOnly: z.staffOnly, points: pts as FramePxPoint[] }]
        : [];
    });
  }, [fit, zones, complete]);

  function addFrame(p: FramePxPoint) {
    setPairs((cur) => {
      const i = cur.findIndex((x) => !x.frame);
      if (i >= 0) return cur.map((x, j) => (j === i ? { ...x, frame: p } : x));
      return [...cur, { frame: p, floor: null }];
    });
    save.reset();
  }
  function addFloor(p: FloorMPoint) {
    setPairs((cur) => {
      const i = cur.findIndex((x) => !x.floor);
      if (i >= 0) return cur.map((x, j) => (j === i ? { ...x, floor: p } : x));
      return [...cur, { frame: null, floor: p }];
    });
    save.reset();
  }
  function edit(i: number, side: "frame" | "floor", axis: "x" | "y", value: number) {
    if (!Number.isFinite(value)) return;
    setPairs((cur) =>
      cur.map((p, j) => (j === i ? { ...p, [side]: { ...(p[side] ?? { x: 0, y: 0 }), [axis]: value } } : p)),
    );
    save.reset();
  }

  const prompt =
    open >= 0
      ? pairs[open]!.frame
        ? `Pair ${open + 1}: now click the same point on the floor plan.`
        : `Pair ${open + 1}: now click the same point on the camera image.`
      : `Click a point on the camera image or the floor plan to start pair ${pairs.length + 1}.`;

  const frameR = W / 90;
  const floorR = Math.max(floorPlan.widthM, floorPlan.heightM) / 90;
  const planScale = Math.max(floorPlan.widthM, floorPlan.heightM);

  return (
    <div className="space-y-6">
      <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm" data-testid="calibration-prompt">
        {prompt}
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <figure className="space-y-2">
          <figcaption className="text-sm font-medium">
            Camera image ({W}×{H} px)
            {camera.snapshotAt ? `, snapshot of ${dateTime(camera.snapshotAt, timeZone)}` : ""}
          </figcaption>
          <div
            className="relative overflow-hidden rounded-lg border border-slate-300 bg-slate-800"
            style={{ aspectRatio: `${W} / ${H}` }}
          >
            {camera.snapshot ? (
              // A data URL from the agent (faces blurred there): next/image adds nothing for it.
              <img
                src={camera.snapshot}
                alt={`Snapshot of ${camera.name}, faces blurred`}
                className="absolute inset-0 h-full w-full object-fill"
              />
            ) : (
              <div
                className="absolute inset-0 flex items-center justify-center bg-[repeating-linear-gradient(45deg,#334155_0,#334155_10px,#1e293b_10px,#1e293b_20px)] p-6 text-center text-sm text-slate-200"
                data-testid="snapshot-placeholder"
              >
                <span className="rounded bg-slate-900/80 px-3 py-2">
                  No snapshot yet: the camera’s agent sends a face-blurred one once it is running. You can
                  still click positions, or type them in the table below.
                </span>
              </div>
            )}
            <svg
              ref={frameSvg}
              viewBox={`0 0 ${W} ${H}`}
              preserveAspectRatio="none"
              className="absolute inset-0 h-full w-full cursor-crosshair"
              onClick={(e) => {
                const p = svgPoint(e);
                addFrame({ x: Math.round(clamp(p.x, 0, W)), y: Math.round(clamp(p.y, 0, H)) });
              }}
              data-testid="frame-canvas"
              role="img"
              aria-label="Camera image: click to place a frame point"
            >
              {zonesInFrame.map((z) => (
                <polygon
                  key={z.id}
                  points={z.points.map((p) => `${p.x},${p.y}`).join(" ")}
                  fill={z.staffOnly ? "#94a3b855" : "#22c55e33"}
                  stroke="#22c55e"
                  strokeWidth={2}
                  vectorEffect="non-scaling-stroke"
                />
              ))}
              {pairs.map((p, i) =>
                p.frame ? (
                  <g key={i}>
                    <circle
                      cx={p.frame.x}
                      cy={p.frame.y}
                      r={frameR}
                      fill={colorOf(i)}
                      stroke="white"
                      strokeWidth={2}
                      vectorEffect="non-scaling-stroke"
                    />
                    <text
                      x={p.frame.x + frameR * 1.3}
                      y={p.frame.y - frameR * 1.3}
                      fontSize={frameR * 2.4}
                      fill="white"
                      stroke="black"
                      strokeWidth={0.5}
                      paintOrder="stroke"
                    >
                      {i + 1}
                    </text>
                  </g>
                ) : null,
              )}
            </svg>
          </div>
        </figure>
        <figure className="space-y-2">
          <figcaption className="text-sm font-medium">
            Floor plan “{floorPlan.name}” ({floorPlan.widthM} × {floorPlan.heightM} m)
            {fit?.ok && fit.fov.length ? " — shaded: what the camera sees" : ""}
          </figcaption>
          <div
            className="overflow-hidden rounded-lg border border-slate-300 bg-white"
            style={{ aspectRatio: `${floorPlan.widthM} / ${floorPlan.heightM}` }}
          >
            <svg
              viewBox={`0 0 ${floorPlan.widthM} ${floorPlan.heightM}`}
              className="h-full w-full cursor-crosshair"
              onClick={(e) => {
                const p = svgPoint(e);
                addFloor({
                  x: Math.round(clamp(p.x, 0, floorPlan.widthM) * 100) / 100,
                  y: Math.round(clamp(p.y, 0, floorPlan.heightM) * 100) / 100,
                });
              }}
              data-testid="floor-canvas"
              role="img"
              aria-label="Floor plan: click to place a floor point"
            >
              {Array.from({ length: Math.floor(floorPlan.widthM) }, (_, x) => (
                <line
                  key={`x${x}`}
                  x1={x + 1}
                  y1={0}
                  x2={x + 1}
                  y2={floorPlan.heightM}
                  stroke="#e2e8f0"
                  strokeWidth={1}
                  vectorEffect="non-scaling-stroke"
                />
              ))}
              {Array.from({ length: Math.floor(floorPlan.heightM) }, (_, y) => (
                <line
                  key={`y${y}`}
                  x1={0}
                  y1={y + 1}
                  x2={floorPlan.widthM}
                  y2={y + 1}
                  stroke="#e2e8f0"
                  strokeWidth={1}
                  vectorEffect="non-scaling-stroke"
                />
              ))}
              {zones.map((z) => (
                <g key={z.id}>
                  <polygon
                    points={z.polygon.map((p) => `${p.x},${p.y}`).join(" ")}
                    fill={z.staffOnly ? "#e2e8f0" : "#dcfce7"}
                    stroke="#64748b"
                    strokeWidth={1}
                    strokeDasharray={z.staffOnly ? "4 3" : undefined}
                    vectorEffect="non-scaling-stroke"
                  />
                  <text
                    x={Math.min(...z.polygon.map((p) => p.x)) + planScale / 120}
                    y={Math.min(...z.polygon.map((p) => p.y)) + planScale / 40}
                    fontSize={planScale / 55}
                    fill="#334155"
                  >
                    {z.name}
                  </text>
                </g>
              ))}
              {fit?.ok && fit.fov.length ? (
                <polygon
                  points={fit.fov.map((p) => `${p.x},${p.y}`).join(" ")}
                  fill="#3b82f633"
                  stroke="#2563eb"
                  strokeWidth={2}
                  strokeDasharray="6 4"
                  vectorEffect="non-scaling-stroke"
                  data-testid="field-of-view"
                />
              ) : null}
              {pairs.map((p, i) =>
                p.floor ? (
                  <g key={i}>
                    <circle
                      cx={p.floor.x}
                      cy={p.floor.y}
                      r={floorR}
                      fill={colorOf(i)}
                      stroke="white"
                      strokeWidth={2}
                      vectorEffect="non-scaling-stroke"
                    />
                    <text
                      x={p.floor.x + floorR * 1.3}
                      y={p.floor.y - floorR * 1.3}
                      fontSize={floorR * 2.4}
                      fill="#0f172a"
                    >
                      {i + 1}
                    </text>
                  </g>
                ) : null,
              )}
            </svg>
          </div>
        </figure>
      </div>

      <section aria-labelledby="fit-heading" className="space-y-2">
        <h2 id="fit-heading" className="text-lg font-semibold">
          Fit
        </h2>
        {!fit ? (
          <p className="text-sm text-slate-600" data-testid="fit-result">
            {complete.length} of at least 4 point pairs.
          </p>
        ) : fit.ok ? (
          <div className="space-y-1 text-sm" data-testid="fit-result" data-ok="true">
            <p>
              Reprojection error:{" "}
              <strong data-testid="rms-error">
                RMS {(fit.estimate.reprojectionError.rmsM * 100).toFixed(1)} cm
              </strong>
              , max {(fit.estimate.reprojectionError.maxM * 100).toFixed(1)} cm over{" "}
              {fit.estimate.inliers.length} of {complete.length} pairs
              {fit.estimate.inliers.length < complete.length
                ? " (the others disagree with the rest: check them)"
                : ""}
              .
              {complete.length === 4
                ? " Four pairs always fit exactly: add a fifth to measure the error."
                : ""}
            </p>
            <p className="text-slate-600">
              {fit.head.ok
                ? `The camera hangs about ${fit.head.cameraHeightM.toFixed(1)} m above the floor; faces are projected on a plane ${headHeightM} m high.`
                : `No head-height plane can be derived (${fit.head.reason}); the agent estimates the feet below each face instead.`}
            </p>
          </div>
        ) : (
          <ErrorNotice testId="fit-error">This calibration cannot be used: {fit.message}</ErrorNotice>
        )}
      </section>

      <section aria-labelledby="pairs-heading" className="space-y-2">
        <h2 id="pairs-heading" className="text-lg font-semibold">
          Point pairs
        </h2>
        <table className={table} data-testid="pairs-table">
          <caption className="sr-only">
            Point pairs: frame position in pixels and floor position in metres (editable)
          </caption>
          <thead className="bg-slate-100 text-slate-600">
            <tr>
              <th scope="col" className={th}>
                #
              </th>
              <th scope="col" className={th}>
                Frame x (px)
              </th>
              <th scope="col" className={th}>
                Frame y (px)
              </th>
              <th scope="col" className={th}>
                Floor x (m)
              </th>
              <th scope="col" className={th}>
                Floor y (m)
              </th>
              <th scope="col" className={`${th} text-right`}>
                Error
              </th>
              <th scope="col" className={th}>
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p, i) => {
              const ci = complete.indexOf(p as { frame: FramePxPoint; floor: FloorMPoint });
              const residual = fit?.ok && ci >= 0 ? fit.residuals[ci] : undefined;
              const cell = (side: "frame" | "floor", axis: "x" | "y") => (
                <td className={td}>
                  <input
                    type="number"
                    step={side === "frame" ? 1 : 0.01}
                    value={p[side]?.[axis] ?? ""}
                    placeholder="click"
                    onChange={(e) => edit(i, side, axis, e.currentTarget.valueAsNumber)}
                    className={`${input} w-24`}
                    aria-label={`Pair ${i + 1} ${side} ${axis}`}
                  />
                </td>
              );
              return (
                <tr key={i} className="border-t border-slate-100" data-testid="pair-row">
                  <th scope="row" className={`${td} font-medium`}>
                    <span
                      className="mr-1 inline-block h-2.5 w-2.5 rounded-full"
                      style={{ background: colorOf(i) }}
                      aria-hidden
                    />
                    {i + 1}
                  </th>
                  {cell("frame", "x")}
                  {cell("frame", "y")}
                  {cell("floor", "x")}
                  {cell("floor", "y")}
                  <td className={`${td} text-right tabular-nums`}>
                    {residual === undefined ? "—" : `${(residual * 100).toFixed(1)} cm`}
                    {fit?.ok && ci >= 0 && !fit.estimate.inliers.includes(ci) ? (
                      <span className="ml-1 text-red-700">outlier</span>
                    ) : null}
                  </td>
                  <td className={td}>
                    <button
                      type="button"
                      className={dangerButton}
                      onClick={() => setPairs((cur) => cur.filter((_, j) => j !== i))}
                      aria-label={`Remove pair ${i + 1}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="flex flex-wrap items-end gap-3">
          <button
            type="button"
            className={secondaryButton}
            onClick={() => setPairs((cur) => [...cur, { frame: null, floor: null }])}
          >
            Add a pair by hand
          </button>
          <button type="button" className={secondaryButton} onClick={() => setPairs(saved)}>
            Back to saved version
          </button>
          <button type="button" className={secondaryButton} onClick={() => setPairs([])}>
            Clear all
          </button>
          <label className={label}>
            Head height (m)
            <input
              type="number"
              min={0.5}
              max={2.5}
              step={0.05}
              value={headHeightM}
              onChange={(e) =>
                Number.isFinite(e.currentTarget.valueAsNumber) &&
                setHeadHeightM(e.currentTarget.valueAsNumber)
              }
              className={`${input} w-24`}
            />
          </label>
          <button
            type="button"
            className={button}
            disabled={!fit?.ok || save.isPending || open >= 0}
            onClick={() =>
              save.mutate({ storeSlug, cameraId, pointPairs: complete, headHeightM, baseVersion })
            }
            data-testid="save-calibration"
          >
            {save.isPending ? "Saving…" : `Save as version ${baseVersion + 1}`}
          </button>
        </div>
        {open >= 0 ? (
          <p className="text-xs text-slate-500">Finish or remove pair {open + 1} to save.</p>
        ) : null}
        {save.error ? <ErrorNotice testId="save-error">{save.error.message}</ErrorNotice> : null}
        {save.data ? (
          <StatusNotice testId="save-ok">
            Saved version {save.data.version} (RMS {(save.data.rmsM * 100).toFixed(1)} cm). The camera’s agent
            switches to it on its next config check.
          </StatusNotice>
        ) : null}
      </section>

      {history.length ? (
        <section aria-labelledby="history-heading" className="space-y-2">
          <h2 id="history-heading" className="text-lg font-semibold">
            Versions
          </h2>
          <ul className="space-y-1 text-sm text-slate-700" data-testid="calibration-history">
            {history.map((v) => (
              <li key={v.version}>
                v{v.version}: RMS {(v.rmsM * 100).toFixed(1)} cm, max {(v.maxM * 100).toFixed(1)} cm, head
                plane {v.headHeightM} m — {dateTime(v.createdAt, timeZone)}
                {v.createdBy ? ` by ${v.createdBy}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
