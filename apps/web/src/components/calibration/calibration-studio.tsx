"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { dateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { CalibrationHistory } from "./calibration-history";
import { fitCalibration, zonesInFrame } from "./calibration-fit";
import { FitSummary } from "./fit-summary";
import { FloorCanvas } from "./floor-canvas";
import { FrameCanvas } from "./frame-canvas";
import { PairsTable } from "./pairs-table";
import { PairsToolbar } from "./pairs-toolbar";
import { completePairs, openPair, pairPrompt } from "./point-pairs";
import { usePointPairs } from "./use-point-pairs";

/**
 * Staff calibrate a camera: point pairs clicked on the camera image and on the floor plan (or typed) fit
 * the frame → floor mapping, shown as its error, the camera's field of view on the plan and the zones on
 * the image; saving creates a new version for the camera's agent.
 */
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
  const saved = useMemo(
    () => (latest?.pointPairs ?? []).map((p) => ({ frame: p.frame, floor: p.floor })),
    [latest],
  );
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
  const pairs = usePointPairs(saved, save.reset);
  const complete = useMemo(() => completePairs(pairs.pairs), [pairs.pairs]);
  const open = openPair(pairs.pairs);
  const frame = { width: camera.widthPx, height: camera.heightPx };
  const fit = useMemo(
    () =>
      fitCalibration(complete, { width: camera.widthPx, height: camera.heightPx }, floorPlan, headHeightM),
    [complete, camera.widthPx, camera.heightPx, floorPlan, headHeightM],
  );
  const framedZones = useMemo(() => zonesInFrame(fit, zones, complete), [fit, zones, complete]);
  const fov = fit?.ok ? fit.fov : [];

  return (
    <div className="space-y-6">
      <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm" data-testid="calibration-prompt">
        {pairPrompt(pairs.pairs)}
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <figure className="space-y-2">
          <figcaption className="text-sm font-medium">
            Camera image ({frame.width}×{frame.height} px)
            {camera.snapshotAt ? `, snapshot of ${dateTime(camera.snapshotAt, timeZone)}` : ""}
          </figcaption>
          <FrameCanvas camera={camera} pairs={pairs.pairs} zones={framedZones} onPlace={pairs.placeFrame} />
        </figure>
        <figure className="space-y-2">
          <figcaption className="text-sm font-medium">
            Floor plan “{floorPlan.name}” ({floorPlan.widthM} × {floorPlan.heightM} m)
            {fov.length ? " — shaded: what the camera sees" : ""}
          </figcaption>
          <FloorCanvas
            plan={floorPlan}
            zones={zones}
            pairs={pairs.pairs}
            fov={fov}
            onPlace={pairs.placeFloor}
          />
        </figure>
      </div>

      <FitSummary fit={fit} pairCount={complete.length} headHeightM={headHeightM} />

      <section aria-labelledby="pairs-heading" className="space-y-2">
        <h2 id="pairs-heading" className="text-lg font-semibold">
          Point pairs
        </h2>
        <PairsTable pairs={pairs} complete={complete} fit={fit} />
        <PairsToolbar
          pairs={pairs}
          headHeightM={headHeightM}
          onHeadHeight={setHeadHeightM}
          canSave={!!fit?.ok && open < 0}
          saving={save.isPending}
          nextVersion={baseVersion + 1}
          onSave={() => save.mutate({ storeSlug, cameraId, pointPairs: complete, headHeightM, baseVersion })}
        />
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

      <CalibrationHistory history={history} timeZone={timeZone} />
    </div>
  );
}
