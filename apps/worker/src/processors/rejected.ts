import { UnrecoverableError } from "bullmq";

/**
 * Bad input: the job fails at once, without retries, and is counted in
 * `shelf_worker_jobs_rejected_total{queue, reason=code}` with its reason logged (reasons name the field).
 */
export class JobRejected extends UnrecoverableError {
  constructor(
    message: string,
    /** Short, fixed label for metrics (`invalid`, `oversize`, `unknown-store`, …). */
    readonly code: string,
  ) {
    super(message);
    this.name = "JobRejected";
  }
}

/** A processor's answer when the job must wait: the worker puts it back (delayed) until `until` (ms). */
export interface WaitOutcome {
  status: "wait";
  until: number;
}
