"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { StatusNotice } from "~/components/notice";
import { button, input, secondaryButton } from "~/lib/classes";
import { useTRPC } from "~/trpc/react";
import { Field } from "../ui/field";
import { FloorPlanForm } from "./floor-plan-form";
import { NewItemForm } from "./new-item-form";
import { useZoneDraft } from "./use-zone-draft";
import { ZoneCanvas } from "./zone-canvas";
import { zoneListLabel } from "./zone-draft";
import { ZonePanel } from "./zone-panel";

/**
 * Staff draw the store's shelf zones on its floor plan, mark staff-only areas, and place products along
 * each shelf; also where the floor plan and the product catalogue are set up.
 */
export function ZoneEditor({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.zones.list.queryOptions({ storeSlug }));
  const [planId, setPlanId] = useState(data.floorPlans[0]?.id ?? null);
  const plan = data.floorPlans.find((p) => p.id === planId) ?? data.floorPlans[0] ?? null;
  const context = useMemo(() => (plan ? { plan, others: plan.zones } : undefined), [plan]);
  const zone = useZoneDraft(context);
  const [message, setMessage] = useState<string | null>(null);
  const itemsById = useMemo(() => new Map(data.items.map((i) => [i.id, i])), [data.items]);

  if (!plan) return <FloorPlanForm storeSlug={storeSlug} plan={null} />;
  type Zone = (typeof plan.zones)[number];
  const select = (z: Zone | null) => {
    zone.open(z);
    setMessage(null);
  };
  const { draft } = zone;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        {data.floorPlans.length > 1 ? (
          <Field label="Floor plan">
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
          </Field>
        ) : null}
        <button
          type="button"
          className={button}
          onClick={() => {
            setMessage(null);
            zone.startNew();
          }}
        >
          Draw a new zone
        </button>
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_26rem]">
        <div className="space-y-2">
          <ZoneCanvas
            plan={plan}
            zones={plan.zones}
            zone={zone}
            itemName={(id) => itemsById.get(id)?.name ?? "?"}
            onSelect={select}
          />
          <ul className="flex flex-wrap gap-2 text-sm" aria-label="Zones on this plan">
            {plan.zones.map((z) => (
              <li key={z.id}>
                <button
                  type="button"
                  className={draft?.id === z.id ? button : secondaryButton}
                  onClick={() => select(z)}
                  aria-pressed={draft?.id === z.id}
                >
                  {zoneListLabel(z)}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div className="space-y-4">
          {draft ? (
            <ZonePanel
              key={zone.session}
              storeSlug={storeSlug}
              floorPlanId={plan.id}
              zone={zone}
              draft={draft}
              items={data.items}
              onClose={() => select(null)}
              onMessage={setMessage}
            />
          ) : null}
          {message ? <StatusNotice testId="zone-saved">{message}</StatusNotice> : null}
          <NewItemForm storeSlug={storeSlug} />
          <FloorPlanForm storeSlug={storeSlug} plan={plan} />
        </div>
      </div>
    </div>
  );
}
