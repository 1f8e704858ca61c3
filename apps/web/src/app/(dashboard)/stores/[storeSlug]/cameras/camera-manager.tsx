"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { EmptyState, ErrorNotice, StatusNotice } from "~/components/notice";
import { DataTable, rowClass } from "~/components/ui/data-table";
import { Field } from "~/components/ui/field";
import { formErrors } from "~/lib/form-errors";
import { button, input, link, secondaryButton, td } from "~/lib/classes";
import { dateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const CAMERA_COLUMNS = [
  { label: "Camera" },
  { label: "Source" },
  { label: "Frame" },
  { label: "Status" },
  { label: "Calibration" },
  { label: "Actions", srOnly: true },
];

/** The new-camera inputs a refusal can be shown beside (the API's input names). */
const CAMERA_FIELDS = ["name", "sourceUrl", "widthPx", "heightPx", "analysisFps", "floorPlanId"];

export function CameraManager({ storeSlug, timeZone }: { storeSlug: string; timeZone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.cameras.list.queryOptions({ storeSlug }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.cameras.pathKey() });
  const create = useMutation(trpc.cameras.create.mutationOptions({ onSuccess: invalidate }));
  const update = useMutation(trpc.cameras.update.mutationOptions({ onSuccess: invalidate }));
  const [created, setCreated] = useState<string | null>(null);
  const errors = formErrors(create.error, CAMERA_FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    create.mutate(
      {
        storeSlug,
        name: String(f.get("name")),
        sourceUrl: String(f.get("sourceUrl")),
        widthPx: Number(f.get("widthPx")),
        heightPx: Number(f.get("heightPx")),
        analysisFps: Number(f.get("analysisFps")),
        floorPlanId: String(f.get("floorPlanId")),
      },
      {
        onSuccess: () => {
          setCreated(String(f.get("name")));
          form.reset();
        },
      },
    );
  }

  return (
    <div className="space-y-6">
      <DataTable
        columns={CAMERA_COLUMNS}
        caption="Cameras of the store"
        rows={data.cameras}
        rowKey={(c) => c.id}
        empty={<EmptyState>No cameras yet. Register the first one below, then calibrate it.</EmptyState>}
        renderRow={(c) => (
          <tr className={`${rowClass} align-top`} data-testid="camera-row" data-camera={c.name}>
            <td className={`${td} font-medium`}>
              {c.name}
              <span className="block text-xs font-normal text-slate-500">{c.floorPlan.name}</span>
            </td>
            <td className={`${td} max-w-xs break-all font-mono text-xs`}>
              {c.source}
              <span className="block font-sans text-slate-500">credentials {c.credentials}</span>
            </td>
            <td className={`${td} tabular-nums`}>
              {c.widthPx}×{c.heightPx} · {c.analysisFps} fps
            </td>
            <td className={td}>
              {c.enabled ? c.status : "disabled"}
              <span className="block text-xs text-slate-500">
                {c.lastSeenAt ? `seen ${dateTime(c.lastSeenAt, timeZone)}` : "never seen"}
              </span>
            </td>
            <td className={td}>
              {c.calibration ? (
                <>
                  v{c.calibration.version} · RMS {(c.calibration.rmsM * 100).toFixed(1)} cm
                  <span className="block text-xs text-slate-500">
                    {dateTime(c.calibration.createdAt, timeZone)}
                  </span>
                </>
              ) : (
                <span className="text-amber-700">not calibrated</span>
              )}
            </td>
            <td className={`${td} space-x-2 whitespace-nowrap`}>
              <Link href={`/stores/${storeSlug}/cameras/${c.id}`} className={link}>
                Calibrate
              </Link>
              <button
                type="button"
                className={secondaryButton}
                disabled={update.isPending}
                onClick={() => update.mutate({ storeSlug, cameraId: c.id, enabled: !c.enabled })}
              >
                {c.enabled ? "Disable" : "Enable"}
              </button>
            </td>
          </tr>
        )}
      />
      {update.error ? <ErrorNotice>{formErrors(update.error, []).form}</ErrorNotice> : null}
      {data.canSetSources ? null : (
        <p className="text-sm text-slate-600">Only store admins register cameras and set their sources.</p>
      )}
      {data.canSetSources ? <SourceAllowlist storeSlug={storeSlug} /> : null}
      {data.canSetSources ? (
        <form
          onSubmit={submit}
          className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
          aria-labelledby="register-heading"
        >
          <h2 id="register-heading" className="font-semibold">
            Register a camera
          </h2>
          {data.floorPlans.length === 0 ? (
            <p className="text-sm text-amber-800">
              The store needs a floor plan first (under “Zones &amp; planogram”).
            </p>
          ) : (
            <>
              <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                <Field label="Name" error={errors.fields.name}>
                  <input
                    name="name"
                    required
                    maxLength={100}
                    className={input}
                    placeholder="Aisle 3, facing the snacks"
                  />
                </Field>
                <Field
                  label="Source"
                  className="sm:col-span-2"
                  error={errors.fields.sourceUrl}
                  hint="rtsp://…, http(s)://… (MJPEG) on a host of the allowlist, or local:name for a video file, USB camera or image folder configured on the agent (AGENT_LOCAL_SOURCES). A user name and password in the address are stored encrypted for the agent and never shown again."
                >
                  <input
                    name="sourceUrl"
                    required
                    className={`${input} font-mono`}
                    placeholder="rtsp://user:password@10.0.0.5/stream1"
                  />
                </Field>
                <Field label="Frame width (px)" error={errors.fields.widthPx}>
                  <input
                    name="widthPx"
                    type="number"
                    required
                    min={32}
                    max={7680}
                    defaultValue={1280}
                    className={input}
                  />
                </Field>
                <Field label="Frame height (px)" error={errors.fields.heightPx}>
                  <input
                    name="heightPx"
                    type="number"
                    required
                    min={32}
                    max={4320}
                    defaultValue={720}
                    className={input}
                  />
                </Field>
                <Field label="Frames analysed per second" error={errors.fields.analysisFps}>
                  <input
                    name="analysisFps"
                    type="number"
                    required
                    min={0.2}
                    max={60}
                    step={0.1}
                    defaultValue={5}
                    className={input}
                  />
                </Field>
                <Field label="Floor plan" error={errors.fields.floorPlanId}>
                  <select name="floorPlanId" required className={input}>
                    {data.floorPlans.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name} ({p.widthM} × {p.heightM} m)
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
              <button type="submit" className={button} disabled={create.isPending}>
                {create.isPending ? "Registering…" : "Register camera"}
              </button>
            </>
          )}
          {errors.form ? <ErrorNotice>{errors.form}</ErrorNotice> : null}
          {created && !create.error ? (
            <StatusNotice>Registered “{created}”. Calibrate it next.</StatusNotice>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}

/** Admins: the hosts and networks this store's camera sources may reach (nothing until set). */
function SourceAllowlist({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.cameras.sourcePolicy.queryOptions({ storeSlug }));
  const save = useMutation(
    trpc.cameras.setSourcePolicy.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.cameras.pathKey() }),
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("allowlist"));
    save.mutate({ storeSlug, allowlist: text.split(/[\s,]+/).filter(Boolean) });
  }
  const errors = formErrors(save.error, ["allowlist"]);
  return (
    <form onSubmit={submit} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <Field
        label="Camera hosts the agent may connect to (host names, IP addresses or CIDRs, one per line)"
        hint="Empty: no network camera is allowed. Loopback, link-local and cloud-metadata addresses are refused unless listed exactly (e.g. 127.0.0.1/32)."
        error={errors.fields.allowlist}
      >
        <textarea
          name="allowlist"
          rows={3}
          defaultValue={data.allowlist.join("\n")}
          className={`${input} font-mono`}
          placeholder={"10.0.5.0/24\ncam-entrance.store.lan"}
        />
      </Field>
      <button type="submit" className={secondaryButton} disabled={save.isPending}>
        Save allowlist
      </button>
      {errors.form ? <ErrorNotice>{errors.form}</ErrorNotice> : null}
      {save.isSuccess && !save.error ? <StatusNotice>Allowlist saved.</StatusNotice> : null}
    </form>
  );
}
