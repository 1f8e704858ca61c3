/** Redis key prefix for BullMQ, live channels and survey keys (tests use a random one so runs never collide). */
export const DEFAULT_QUEUE_PREFIX = "shelf";
