import { ErrorNotice } from "~/components/notice";
import type { CalibrationFit } from "./calibration-fit";

const cm = (m: number) => (m * 100).toFixed(1);

/** How well the pairs fit: the reprojection error, the camera's height, or why no fit is possible. */
export function FitSummary({
  fit,
  pairCount,
  headHeightM,
}: {
  fit: CalibrationFit;
  /** Complete pairs. */
  pairCount: number;
  headHeightM: number;
}) {
  return (
    <section aria-labelledby="fit-heading" className="space-y-2">
      <h2 id="fit-heading" className="text-lg font-semibold">
        Fit
      </h2>
      {!fit ? (
        <p className="text-sm text-slate-600" data-testid="fit-result">
          {pairCount} of at least 4 point pairs.
        </p>
      ) : fit.ok ? (
        <div className="space-y-1 text-sm" data-testid="fit-result" data-ok="true">
          <p>
            Reprojection error:{" "}
            <strong data-testid="rms-error">RMS {cm(fit.estimate.reprojectionError.rmsM)} cm</strong>, max{" "}
            {cm(fit.estimate.reprojectionError.maxM)} cm over {fit.estimate.inliers.length} of {pairCount}{" "}
            pairs
            {fit.estimate.inliers.length < pairCount
              ? " (the others disagree with the rest: check them)"
              : ""}
            .{pairCount === 4 ? " Four pairs always fit exactly: add a fifth to measure the error." : ""}
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
  );
}
