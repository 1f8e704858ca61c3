/** Base class of every error this package throws on purpose; anything else is a bug. */
export class InferenceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The caller handed over something that is not a usable image, frame or crop (empty, corrupt, wrong
 * dimensions, over the pixel limit). Not transient: retrying the same input fails the same way, so a
 * queue consumer should treat it as unrecoverable.
 */
export class InferenceInputError extends InferenceError {}

/** The analyzer was used out of order: before `load()`, or after `dispose()`. */
export class InferenceStateError extends InferenceError {}

/** The configuration is invalid, or a model file it points at is missing or unreadable. */
export class InferenceConfigError extends InferenceError {}
