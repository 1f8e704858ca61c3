import { Worker, type Job, type JobJsonRaw, type Processor, type WorkerOptions } from "bullmq";
import { JOB_OPTIONS, MAX_JOB_BYTES, PIXEL_QUEUES, type QueueName } from "@shelf/core";

/** Raw payload sizes of jobs that were over their queue's cap (their data was never parsed). */
const oversized = new WeakMap<Job, number>();

/** The raw payload size of a job refused before parsing, bytes; undefined when it was within the cap. */
export function oversizedPayload(job: Job): number | undefined {
  return oversized.get(job);
}

/**
 * A BullMQ Worker that does not trust its producers. Before a job's payload is parsed it checks the raw JSON
 * size against MAX_JOB_BYTES (an oversized job reaches the processor with empty data, marked, and is refused
 * there: it costs one read, not a parse and a base64 decode). Whatever options the producer set, attempts are
 * capped at the queue's own, and jobs of a pixel-carrying queue are removed on completion and on failure.
 */
export class GuardedWorker extends Worker {
  constructor(name: QueueName, processor: Processor, opts: WorkerOptions) {
    super(name, processor, opts);
  }

  protected override createJob(raw: JobJsonRaw, jobId: string): Job {
    const queue = this.name as QueueName;
    const cap = MAX_JOB_BYTES[queue];
    const text = typeof raw.data === "string" ? raw.data : "";
    // Length in UTF-16 units is ≤ the UTF-8 byte count, so a long string is oversized without counting bytes.
    const bytes = text.length > cap ? text.length : Buffer.byteLength(text);
    const job = super.createJob(bytes > cap ? { ...raw, data: "{}" } : raw, jobId);
    if (bytes > cap) oversized.set(job, bytes);
    const defaults = JOB_OPTIONS[queue];
    job.opts.attempts = Math.min(Math.max(1, job.opts.attempts ?? 1), defaults.attempts);
    if (PIXEL_QUEUES.has(queue)) {
      job.opts.removeOnComplete = true;
      job.opts.removeOnFail = true;
    }
    return job;
  }
}
