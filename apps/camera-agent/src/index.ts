export { CameraAgent, type AgentDeps } from "./agent.ts";
export { CameraPipeline, compactProbs, type PipelineOptions } from "./pipeline.ts";
export { TrackEventBuffer, type TrackBufferOptions } from "./track-buffer.ts";
export { BullJobSink, type JobSink } from "./job-sink.ts";
export { loadCameraConfigs, ZCameraConfig, type CameraConfig } from "./camera-config.ts";
export { loadAgentEnv, ZAgentEnv, type AgentEnv } from "./env.ts";
export * from "./sources/index.ts";
export { blurredSnapshot } from "./snapshot.ts";
