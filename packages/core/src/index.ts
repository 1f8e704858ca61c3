export * from "./expressions.ts";
export * from "./coords.ts";
export * from "./queues.ts";
export * from "./env.ts";
export * from "./jobs.ts";
