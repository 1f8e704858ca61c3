import type { RgbFrame } from "@shelf/inference";

/** One decoded frame and when it was captured (ms since epoch). Pixels stay in memory only. */
export interface SourceFrame {
  frame: RgbFrame;
  capturedAt: number;
}

/**
 * A camera behind one interface. `frames()` yields the newest frame each time the consumer asks: when the
 * consumer (inference) is slower than the camera, older frames are dropped and counted, never queued.
 */
export interface FrameSource {
  readonly kind: string;
  frames(signal: AbortSignal): AsyncIterable<SourceFrame>;
  /** Frames the source produced but the consumer never took (backpressure). */
  readonly droppedFrames: number;
  /** Times the source reconnected after losing its stream. */
  readonly reconnects: number;
  /** false while the stream is lost and a reconnect is pending. */
  readonly up: boolean;
}
