import type { FloorMPoint } from "@shelf/core";
import { onPlan, type Xy } from "./geometry.ts";

/**
 * Screen → SVG user units: where a pointer at (clientX, clientY) CSS pixels lies in the drawing's viewBox
 * space (FramePx for a camera image, FloorM for a floor plan), through the SVG's current screen transform.
 * Null while the SVG is not rendered (no transform).
 */
export function svgUserPoint(svg: SVGSVGElement, clientX: number, clientY: number): Xy | null {
  const ctm = svg.getScreenCTM();
  if (!ctm) return null;
  const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
  return { x: p.x, y: p.y };
}

/**
 * Screen → floor: the FloorM point under a pointer on an SVG whose viewBox is the plan in metres, kept on
 * the plan and rounded to centimetres. Null while the SVG is not rendered.
 */
export function floorPointAt(
  svg: SVGSVGElement,
  clientX: number,
  clientY: number,
  plan: { widthM: number; heightM: number },
): FloorMPoint | null {
  const p = svgUserPoint(svg, clientX, clientY);
  return p ? onPlan(p, plan) : null;
}
