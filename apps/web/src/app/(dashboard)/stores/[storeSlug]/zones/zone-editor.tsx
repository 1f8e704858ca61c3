"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useMemo, useState, type KeyboardEvent, type PointerEvent } from "react";
import { shelfAxis, ZShelfZone, type FloorMPoint } from "@shelf/core";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { button, dangerButton, focusRing, input, label, secondaryButton, table, td, th } from "~/lib/classes";
import { useTRPC } from "~/trpc/react";

interface Draft {
  id: string | null;
  name: string;
  polygon: FloorMPoint[];
  /** null: the longest polygon edge. */
  shelfLine: [FloorMPoint, FloorMPoint] | null;
  staffOnly: boolean;
  slots: { itemId: string; start: number; end: number; level: number }[];
}

const round = (v: number) => Math.round(v * 100) / 100;
const SLOT_COLORS = ["#2563eb", "#d97706", "#16a34a", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626"];

function svgPoint(svg: SVGSVGElement, clientX: number, clientY: number): FloorMPoint {
  const ctm = svg.getScreenCTM();
  if (!ctm) return { x: 0, y: 0 };
  const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
  return { x: round(p.x), y: round(p.y) };
}

export function ZoneEditor({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.zones.list.queryOptions({ storeSlug }));
  const [planId, setPlanId] = useState(data.floorPlans[0]?.id ?? null);
  const plan = data.floorPlans.find((p) => p.id === planId) ?? data.floorPlans[0] ?? null;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [dragging, setDragging] = useState<number | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.zones.pathKey() });
  const save = useMutation(trpc.zones.save.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.zones.delete.mutationOptions({ onSuccess: invalidate }));

  const itemsById = useMemo(() => new Map(data.items.map((i) => [i.id, i])), [data.items]);
  const check = useMemo(() => {
    if (!draft || drawing) return null;
    const result = ZShelfZone.safeParse({
      id: draft.id ?? "new",
      name: draft.name || undefined,
      polygon: draft.polygon,
      shelfLine: draft.shelfLine,
      staffOnly: draft.staffOnly,
      slots: draft.slots,
    });
    const problems = result.success
      ? []
      : result.error.issues.map((i) => (i.path.length ? `${i.path.join(" ")}: ${i.message}` : i.message));
    if (!draft.name.trim()) problems.unshift("give the zone a name");
    if (draft.staffOnly && draft.slots.length)
      problems.push("a staff-only zone is never analysed: remove its products");
    return problems;
  }, [draft, drawing]);

  if (!plan) return <FloorPlanForm storeSlug={storeSlug} plan={null} />;

  const select = (zone: (typeof plan.zones)[number] | null) => {
    setDrawing(false);
    setConfirmDelete(false);
    setMessage(null);
    save.reset();
    setDraft(
      zone
        ? {
            id: zone.id,
            name: zone.name,
            polygon: zone.polygon,
            shelfLine: zone.shelfLine,
            staffOnly: zone.staffOnly,
            slots: zone.slots,
          }
        : null,
    );
  };

  const axis =
    draft && draft.polygon.length >= 2 && !drawing
      ? shelfAxis({ polygon: draft.polygon, shelfLine: draft.shelfLine })
      : null;
  const at = (t: number) =>
    axis
      ? { x: axis[0].x + t * (axis[1].x - axis[0].x), y: axis[0].y + t * (axis[1].y - axis[0].y) }
      : { x: 0, y: 0 };
  const handleR = Math.max(plan.widthM, plan.heightM) / 80;

  function onCanvasClick(e: React.MouseEvent<SVGSVGElement>) {
    if (!drawing || !draft) return;
    const p = svgPoint(e.currentTarget, e.clientX, e.clientY);
    setDraft({ ...draft, polygon: [...draft.polygon, p] });
  }
  function onPointerMove(e: PointerEvent<SVGSVGElement>) {
    if (dragging === null || !draft) return;
    const p = svgPoint(e.currentTarget, e.clientX, e.clientY);
    setDraft({
      ...draft,
      polygon: draft.polygon.map((v, i) =>
        i === dragging
          ? { x: Math.min(plan!.widthM, Math.max(0, p.x)), y: Math.min(plan!.heightM, Math.max(0, p.y)) }
          : v,
      ),
    });
  }
  function nudge(i: number, e: KeyboardEvent<SVGCircleElement>) {
    const step = e.shiftKey ? 0.5 : 0.1;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[
      e.key
    ];
    if (!d || !draft) return;
    e.preventDefault();
    setDraft({
      ...draft,
      polygon: draft.polygon.map((v, j) => (j === i ? { x: round(v.x + d[0]!), y: round(v.y + d[1]!) } : v)),
    });
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        {data.floorPlans.length > 1 ? (
          <label className={label}>
            Floor plan
            <select
              className={input}
              value={plan.id}
              onChange={(e) => {
                setPlanId(e.currentTarget.value);
                select(null);
              }}
            >
              {data.floorPlans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button
          type="button"
          className={button}
          onClick={() => {
            select(null);
            setDraft({ id: null, name: "", polygon: [], shelfLine: null, staffOnly: false, slots: [] });
            setDrawing(true);
          }}
        >
          Draw a new zone
        </button>
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_26rem]">
        <div className="space-y-2">
          <p role="status" className="text-sm text-slate-600">
            {drawing
              ? `Click the zone’s corners on the plan (${draft?.polygon.length ?? 0} so far), then “Finish outline”. Escape cancels.`
              : draft
                ? "Drag the corners (or focus one and use the arrow keys; Shift for bigger steps)."
                : "Pick a zone in the list or on the plan to edit it."}
          </p>
          <div
            className="overflow-hidden rounded-lg border border-slate-300 bg-white"
            style={{ aspectRatio: `${plan.widthM} / ${plan.heightM}` }}
          >
            <svg
              viewBox={`0 0 ${plan.widthM} ${plan.heightM}`}
              className={`h-full w-full ${drawing ? "cursor-crosshair" : ""}`}
              onClick={onCanvasClick}
              onPointerMove={onPointerMove}
              onPointerUp={() => setDragging(null)}
              onKeyDown={(e) => {
                if (!drawing) return;
                if (e.key === "Escape") select(null);
                if (e.key === "Enter" && (draft?.polygon.length ?? 0) >= 3) setDrawing(false);
              }}
              tabIndex={drawing ? 0 : -1}
              data-testid="zone-canvas"
              aria-label={`Floor plan ${plan.name}, ${plan.widthM} by ${plan.heightM} metres`}
            >
              {Array.from({ length: Math.floor(plan.widthM) }, (_, x) => (
                <line
                  key={`x${x}`}
                  x1={x + 1}
                  y1={0}
                  x2={x + 1}
                  y2={plan.heightM}
                  stroke="#f1f5f9"
                  strokeWidth={1}
                  vectorEffect="non-scaling-stroke"
                />
              ))}
              {Array.from({ length: Math.floor(plan.heightM) }, (_, y) => (
                <line
                  key={`y${y}`}
                  x1={0}
                  y1={y + 1}
                  x2={plan.widthM}
                  y2={y + 1}
                  stroke="#f1f5f9"
                  strokeWidth={1}
                  vectorEffect="non-scaling-stroke"
                />
              ))}
              {plan.zones
                .filter((z) => z.id !== draft?.id)
                .map((z) => (
                  <g
                    key={z.id}
                    onClick={() => !drawing && select(z)}
                    className={drawing ? "" : "cursor-pointer"}
                  >
                    <polygon
                      points={z.polygon.map((p) => `${p.x},${p.y}`).join(" ")}
                      fill={z.staffOnly ? "#e2e8f0" : "#dbeafe"}
                      stroke="#64748b"
                      strokeWidth={1}
                      strokeDasharray={z.staffOnly ? "4 3" : undefined}
                      vectorEffect="non-scaling-stroke"
                    />
                    <text
                      x={Math.min(...z.polygon.map((p) => p.x)) + handleR * 0.6}
                      y={Math.min(...z.polygon.map((p) => p.y)) + handleR * 2.2}
                      fontSize={handleR * 1.6}
                      fill="#334155"
                    >
                      {z.name}
                    </text>
                  </g>
                ))}
              {draft ? (
                <g>
                  {drawing ? (
                    <polyline
                      points={draft.polygon.map((p) => `${p.x},${p.y}`).join(" ")}
                      fill="none"
                      stroke="#0f172a"
                      strokeWidth={2}
                      vectorEffect="non-scaling-stroke"
                    />
                  ) : (
                    <polygon
                      points={draft.polygon.map((p) => `${p.x},${p.y}`).join(" ")}
                      fill={draft.staffOnly ? "#e2e8f0" : "#bfdbfe"}
                      stroke="#0f172a"
                      strokeWidth={2}
                      vectorEffect="non-scaling-stroke"
                      data-testid="draft-zone"
                    />
                  )}
                  {axis ? (
                    <line
                      x1={axis[0].x}
                      y1={axis[0].y}
                      x2={axis[1].x}
                      y2={axis[1].y}
                      stroke="#0f172a"
                      strokeWidth={5}
                      strokeOpacity={0.25}
                      vectorEffect="non-scaling-stroke"
                    />
                  ) : null}
                  {draft.slots.map((s, i) => {
                    const a = at(s.start);
                    const b = at(s.end);
                    return (
                      <g key={i}>
                        <line
                          x1={a.x}
                          y1={a.y}
                          x2={b.x}
                          y2={b.y}
                          stroke={SLOT_COLORS[i % SLOT_COLORS.length]}
                          strokeWidth={4}
                          vectorEffect="non-scaling-stroke"
                        />
                        <text
                          x={(a.x + b.x) / 2}
                          y={(a.y + b.y) / 2 - handleR}
                          fontSize={handleR * 1.6}
                          textAnchor="middle"
                          fill="#0f172a"
                        >
                          {itemsById.get(s.itemId)?.name ?? "?"}
                        </text>
                      </g>
                    );
                  })}
                  {draft.polygon.map((p, i) => (
                    <circle
                      key={i}
                      cx={p.x}
                      cy={p.y}
                      r={handleR}
                      fill="white"
                      stroke="#0f172a"
                      strokeWidth={2}
                      vectorEffect="non-scaling-stroke"
                      tabIndex={drawing ? -1 : 0}
                      role="button"
                      aria-label={`Corner ${i + 1} at ${p.x}, ${p.y} m`}
                      className={`${drawing ? "" : "cursor-move"} ${focusRing}`}
                      onPointerDown={(e) => {
                        if (drawing) return;
                        e.stopPropagation();
                        (e.currentTarget.ownerSVGElement ?? e.currentTarget).setPointerCapture?.(e.pointerId);
                        setDragging(i);
                      }}
                      onKeyDown={(e) => nudge(i, e)}
                    />
                  ))}
                </g>
              ) : null}
            </svg>
          </div>
          <ul className="flex flex-wrap gap-2 text-sm" aria-label="Zones on this plan">
            {plan.zones.map((z) => (
              <li key={z.id}>
                <button
                  type="button"
                  className={draft?.id === z.id ? button : secondaryButton}
                  onClick={() => select(z)}
                  aria-pressed={draft?.id === z.id}
                >
                  {z.name}
                  {z.staffOnly && !/staff/i.test(z.name) ? " (staff only)" : ""}
                </button>
              </li>
            ))}
          </ul>
        </div>

        <div className="space-y-4">
          {draft ? (
            <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
              <h2 className="font-semibold">{draft.id ? `Zone “${draft.name}”` : "New zone"}</h2>
              {drawing ? (
                <div className="flex gap-2">
                  <button
                    type="button"
                    className={button}
                    disabled={draft.polygon.length < 3}
                    onClick={() => setDrawing(false)}
                  >
                    Finish outline
                  </button>
                  <button
                    type="button"
                    className={secondaryButton}
                    disabled={!draft.polygon.length}
                    onClick={() => setDraft({ ...draft, polygon: draft.polygon.slice(0, -1) })}
                  >
                    Undo corner
                  </button>
                  <button type="button" className={secondaryButton} onClick={() => select(null)}>
                    Cancel
                  </button>
                </div>
              ) : (
                <>
                  <label className={label}>
                    Name
                    <input
                      className={input}
                      value={draft.name}
                      maxLength={100}
                      onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
                    />
                  </label>
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={draft.staffOnly}
                      onChange={(e) => setDraft({ ...draft, staffOnly: e.currentTarget.checked })}
                      className={focusRing}
                    />
                    Staff only (stock rooms, tills): faces here are never analysed
                  </label>
                  <details className="text-sm">
                    <summary className="cursor-pointer text-slate-700">
                      Corners ({draft.polygon.length}), metres
                    </summary>
                    <table className="mt-2 text-xs">
                      <tbody>
                        {draft.polygon.map((p, i) => (
                          <tr key={i}>
                            <th scope="row" className="pr-2 text-left font-normal">
                              {i + 1}
                            </th>
                            {(["x", "y"] as const).map((axisName) => (
                              <td key={axisName} className="pr-2">
                                <input
                                  type="number"
                                  step={0.05}
                                  value={p[axisName]}
                                  aria-label={`Corner ${i + 1} ${axisName}`}
                                  className={`${input} w-20`}
                                  onChange={(e) => {
                                    const v = e.currentTarget.valueAsNumber;
                                    if (Number.isFinite(v))
                                      setDraft({
                                        ...draft,
                                        polygon: draft.polygon.map((q, j) =>
                                          j === i ? { ...q, [axisName]: v } : q,
                                        ),
                                      });
                                  }}
                                />
                              </td>
                            ))}
                            <td>
                              <button
                                type="button"
                                className={dangerButton}
                                disabled={draft.polygon.length <= 3}
                                onClick={() =>
                                  setDraft({ ...draft, polygon: draft.polygon.filter((_, j) => j !== i) })
                                }
                                aria-label={`Remove corner ${i + 1}`}
                              >
                                ×
                              </button>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </details>
                  <fieldset className="space-y-2">
                    <legend className="text-sm font-medium">Shelf</legend>
                    <p className="text-xs text-slate-500">
                      Products are placed along the shelf line (
                      {draft.shelfLine ? "custom" : "the zone’s longest edge"}), from 0 at one end to 1 at the
                      other.
                    </p>
                    {draft.polygon.length >= 2 ? (
                      <label className={label}>
                        Shelf line
                        <select
                          className={input}
                          value={
                            draft.shelfLine
                              ? String(
                                  draft.polygon.findIndex(
                                    (p) => p.x === draft.shelfLine![0].x && p.y === draft.shelfLine![0].y,
                                  ),
                                )
                              : "auto"
                          }
                          onChange={(e) => {
                            const v = e.currentTarget.value;
                            if (v === "auto") return setDraft({ ...draft, shelfLine: null });
                            const i = Number(v);
                            setDraft({
                              ...draft,
                              shelfLine: [draft.polygon[i]!, draft.polygon[(i + 1) % draft.polygon.length]!],
                            });
                          }}
                        >
                          <option value="auto">Longest edge</option>
                          {draft.polygon.map((_, i) => (
                            <option key={i} value={i}>
                              Edge {i + 1}–{((i + 1) % draft.polygon.length) + 1}
                            </option>
                          ))}
                        </select>
                      </label>
                    ) : null}
                  </fieldset>
                  <SlotsTable draft={draft} setDraft={setDraft} items={data.items} />
                  {check && check.length ? (
                    <ul
                      className="list-disc space-y-0.5 pl-5 text-sm text-red-800"
                      data-testid="zone-problems"
                    >
                      {check.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  ) : null}
                  <div className="flex flex-wrap gap-2">
                    <button
                      type="button"
                      className={button}
                      disabled={!!check?.length || save.isPending}
                      onClick={() =>
                        save.mutate(
                          {
                            storeSlug,
                            zoneId: draft.id ?? undefined,
                            floorPlanId: plan.id,
                            name: draft.name.trim(),
                            polygon: draft.polygon,
                            shelfLine: draft.shelfLine,
                            staffOnly: draft.staffOnly,
                            slots: draft.slots,
                          },
                          {
                            onSuccess: ({ id }) => {
                              setDraft({ ...draft, id });
                              setMessage(
                                `Saved “${draft.name.trim()}”. The camera agents reload it on their next config check.`,
                              );
                            },
                          },
                        )
                      }
                    >
                      {save.isPending ? "Saving…" : "Save zone"}
                    </button>
                    {draft.id ? (
                      confirmDelete ? (
                        <span className="flex items-center gap-2 text-sm">
                          Delete it with its recorded visits?
                          <button
                            type="button"
                            className={dangerButton}
                            onClick={() =>
                              remove.mutate(
                                { storeSlug, zoneId: draft.id! },
                                {
                                  onSuccess: (r) => {
                                    select(null);
                                    setMessage(`Deleted the zone and ${r.interactions} recorded visits.`);
                                  },
                                },
                              )
                            }
                          >
                            Delete
                          </button>
                          <button
                            type="button"
                            className={secondaryButton}
                            onClick={() => setConfirmDelete(false)}
                          >
                            Keep
                          </button>
                        </span>
                      ) : (
                        <button type="button" className={dangerButton} onClick={() => setConfirmDelete(true)}>
                          Delete zone
                        </button>
                      )
                    ) : null}
                  </div>
                </>
              )}
              {save.error ? <ErrorNotice>{save.error.message}</ErrorNotice> : null}
              {remove.error ? <ErrorNotice>{remove.error.message}</ErrorNotice> : null}
            </div>
          ) : null}
          {message ? <StatusNotice testId="zone-saved">{message}</StatusNotice> : null}
          <NewItemForm storeSlug={storeSlug} />
          <FloorPlanForm storeSlug={storeSlug} plan={plan} />
        </div>
      </div>
    </div>
  );
}

function SlotsTable({
  draft,
  setDraft,
  items,
}: {
  draft: Draft;
  setDraft: (d: Draft) => void;
  items: { id: string; sku: string; name: string; category: string }[];
}) {
  const update = (i: number, patch: Partial<Draft["slots"][number]>) =>
    setDraft({ ...draft, slots: draft.slots.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const last = draft.slots.reduce((m, s) => (s.level === 0 ? Math.max(m, s.end) : m), 0);
  return (
    <fieldset className="space-y-2" disabled={draft.staffOnly}>
      <legend className="text-sm font-medium">Products on the shelf</legend>
      {draft.slots.length ? (
        <table className={table}>
          <thead className="bg-slate-100 text-xs text-slate-600">
            <tr>
              <th scope="col" className={th}>
                Product
              </th>
              <th scope="col" className={th}>
                From
              </th>
              <th scope="col" className={th}>
                To
              </th>
              <th scope="col" className={th}>
                Level
              </th>
              <th scope="col" className={th}>
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.slots.map((s, i) => (
              <tr key={i} className="border-t border-slate-100">
                <td className={td}>
                  <select
                    className={`${input} w-36`}
                    value={s.itemId}
                    onChange={(e) => update(i, { itemId: e.currentTarget.value })}
                    aria-label={`Slot ${i + 1} product`}
                  >
                    {items.map((it) => (
                      <option key={it.id} value={it.id}>
                        {it.name} ({it.sku})
                      </option>
                    ))}
                  </select>
                </td>
                {(["start", "end"] as const).map((k) => (
                  <td key={k} className={td}>
                    <input
                      type="number"
                      min={0}
                      max={1}
                      step={0.05}
                      value={s[k]}
                      className={`${input} w-16`}
                      aria-label={`Slot ${i + 1} ${k}`}
                      onChange={(e) =>
                        Number.isFinite(e.currentTarget.valueAsNumber) &&
                        update(i, { [k]: e.currentTarget.valueAsNumber })
                      }
                    />
                  </td>
                ))}
                <td className={td}>
                  <input
                    type="number"
                    min={0}
                    max={50}
                    step={1}
                    value={s.level}
                    className={`${input} w-14`}
                    aria-label={`Slot ${i + 1} level`}
                    onChange={(e) =>
                      Number.isInteger(e.currentTarget.valueAsNumber) &&
                      update(i, { level: e.currentTarget.valueAsNumber })
                    }
                  />
                </td>
                <td className={td}>
                  <button
                    type="button"
                    className={dangerButton}
                    onClick={() => setDraft({ ...draft, slots: draft.slots.filter((_, j) => j !== i) })}
                    aria-label={`Remove slot ${i + 1}`}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-xs text-slate-500">
          {draft.staffOnly ? "Staff-only zones hold no products." : "No products placed yet."}
        </p>
      )}
      <button
        type="button"
        className={secondaryButton}
        disabled={!items.length || last >= 1}
        onClick={() =>
          setDraft({
            ...draft,
            slots: [
              ...draft.slots,
              { itemId: items[0]!.id, start: round(last), end: round(Math.min(1, last + 0.25)), level: 0 },
            ],
          })
        }
      >
        Place a product
      </button>
    </fieldset>
  );
}

function NewItemForm({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mutation = useMutation(
    trpc.zones.createItem.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.zones.pathKey() }),
    }),
  );
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="new-item-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const input = {
          storeSlug,
          sku: String(f.get("sku")),
          name: String(f.get("name")),
          category: String(f.get("category")),
        };
        mutation.mutate(input, {
          onSuccess: () => {
            setDone(input.name);
            form.reset();
          },
        });
      }}
    >
      <h2 id="new-item-heading" className="font-semibold">
        New product
      </h2>
      <div className="grid grid-cols-3 gap-2">
        <label className={label}>
          SKU
          <input name="sku" required maxLength={64} pattern="[A-Za-z0-9._\-]+" className={input} />
        </label>
        <label className={label}>
          Name
          <input name="name" required maxLength={200} className={input} />
        </label>
        <label className={label}>
          Category
          <input name="category" required maxLength={100} className={input} />
        </label>
      </div>
      <button type="submit" className={secondaryButton} disabled={mutation.isPending}>
        Add to catalogue
      </button>
      {mutation.error ? (
        <ErrorNotice>{mutation.error.message}</ErrorNotice>
      ) : done ? (
        <p className="text-xs text-emerald-700">Added “{done}”.</p>
      ) : null}
    </form>
  );
}

function FloorPlanForm({
  storeSlug,
  plan,
}: {
  storeSlug: string;
  plan: { id: string; name: string; widthM: number; heightM: number } | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mutation = useMutation(
    trpc.zones.saveFloorPlan.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.zones.pathKey() }),
    }),
  );
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="plan-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const input = {
          storeSlug,
          floorPlanId: plan?.id,
          name: String(f.get("name")),
          widthM: Number(f.get("widthM")),
          heightM: Number(f.get("heightM")),
        };
        mutation.mutate(input);
      }}
    >
      <h2 id="plan-heading" className="font-semibold">
        {plan ? "Floor plan" : "Create the floor plan"}
      </h2>
      <div className="grid grid-cols-3 gap-2">
        <label className={label}>
          Name
          <input name="name" required defaultValue={plan?.name ?? "Ground floor"} className={input} />
        </label>
        <label className={label}>
          Width (m)
          <input
            name="widthM"
            type="number"
            required
            min={1}
            max={10000}
            step={0.1}
            defaultValue={plan?.widthM ?? 20}
            className={input}
          />
        </label>
        <label className={label}>
          Depth (m)
          <input
            name="heightM"
            type="number"
            required
            min={1}
            max={10000}
            step={0.1}
            defaultValue={plan?.heightM ?? 15}
            className={input}
          />
        </label>
      </div>
      <button type="submit" className={secondaryButton} disabled={mutation.isPending}>
        {plan ? "Save size" : "Create"}
      </button>
      {mutation.error ? <ErrorNotice>{mutation.error.message}</ErrorNotice> : null}
    </form>
  );
}
