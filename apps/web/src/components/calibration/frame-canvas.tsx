"use client";

import type { FramePxPoint } from "@shelf/core";
import { clampToRect, svgPoints } from "../floor-plan/geometry";
import { PointMarker } from "../floor-plan/point-marker";
import { svgUserPoint } from "../floor-plan/pointer";
import type { zonesInFrame } from "./calibration-fit";
import { pairColor, type DraftPair } from "./point-pairs";

/**
 * The camera image (the agent's face-blurred snapshot, or a placeholder) under an SVG in frame pixels
 * (FramePx): a click places a frame point; the zones are drawn through the fitted mapping.
 */
export function FrameCanvas({
  camera,
  pairs,
  zones,
  onPlace,
}: {
  camera: { name: string; widthPx: number; heightPx: number; snapshot: string | null };
  pairs: readonly DraftPair[];
  zones: ReturnType<typeof zonesInFrame>;
  onPlace: (p: FramePxPoint) => void;
}) {
  const W = camera.widthPx;
  const H = camera.heightPx;
  const r = W / 90;
  return (
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
            No snapshot yet: the camera’s agent sends a face-blurred one once it is running. You can still
            click positions, or type them in the table below.
          </span>
        </div>
      )}
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="absolute inset-0 h-full w-full cursor-crosshair"
        onClick={(e) => {
          const p = svgUserPoint(e.currentTarget, e.clientX, e.clientY);
          if (!p) return;
          const inside = clampToRect<"FramePx">(p, W, H);
          onPlace({ x: Math.round(inside.x), y: Math.round(inside.y) });
        }}
        data-testid="frame-canvas"
        role="img"
        aria-label="Camera image: click to place a frame point"
      >
        {zones.map((z) => (
          <polygon
            key={z.id}
            points={svgPoints(z.points)}
            fill={z.staffOnly ? "#94a3b855" : "#22c55e33"}
            stroke="#22c55e"
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
          />
        ))}
        {pairs.map((p, i) =>
          p.frame ? (
            <PointMarker key={i} at={p.frame} r={r} color={pairColor(i)} label={String(i + 1)} onDark />
          ) : null,
        )}
      </svg>
    </div>
  );
}
