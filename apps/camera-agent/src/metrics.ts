import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics of one agent process, labelled per camera. */
export function createAgentMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "shelf_agent_" });
  const labelNames = ["camera"] as const;
  return {
    registry,
    framesAnalysed: new Counter({
      name: "shelf_agent_frames_analysed_total",
      help: "Frames run through detection",
      labelNames,
      registers: [registry],
    }),
    framesDropped: new Gauge({
      name: "shelf_agent_frames_dropped",
      help: "Frames the camera produced that analysis skipped (backpressure)",
      labelNames,
      registers: [registry],
    }),
    fps: new Gauge({
      name: "shelf_agent_analysed_fps",
      help: "Frames analysed per second over the last 10 s",
      labelNames,
      registers: [registry],
    }),
    faces: new Counter({
      name: "shelf_agent_faces_total",
      help: "Faces detected",
      labelNames,
      registers: [registry],
    }),
    tracks: new Gauge({
      name: "shelf_agent_active_tracks",
      help: "Confirmed tracks in view",
      labelNames,
      registers: [registry],
    }),
    cropsEnqueued: new Counter({
      name: "shelf_agent_crops_enqueued_total",
      help: "Face crops enqueued for classification",
      labelNames,
      registers: [registry],
    }),
    cropsDropped: new Counter({
      name: "shelf_agent_crops_dropped_total",
      help: "Crops dropped because Redis was unreachable",
      labelNames,
      registers: [registry],
    }),
    facesClassified: new Counter({
      name: "shelf_agent_faces_classified_total",
      help: "Edge classification (AGENT_CLASSIFY): crops classified in the agent, only their vectors sent",
      labelNames,
      registers: [registry],
    }),
    facesUnclassified: new Counter({
      name: "shelf_agent_faces_unclassified_total",
      help: "Edge classification: crops the expression model's checks refused (too small, blurred, flat)",
      labelNames,
      registers: [registry],
    }),
    classifySeconds: new Histogram({
      name: "shelf_agent_classify_seconds",
      help: "Edge classification time per crop",
      labelNames,
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1],
      registers: [registry],
    }),
    staffSkipped: new Counter({
      name: "shelf_agent_staff_zone_faces_total",
      help: "Faces in staff-only zones, never classified",
      labelNames,
      registers: [registry],
    }),
    queueLatency: new Histogram({
      name: "shelf_agent_enqueue_seconds",
      help: "Time to enqueue one job in Redis",
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    detectSeconds: new Histogram({
      name: "shelf_agent_detect_seconds",
      help: "Face detection time per frame",
      labelNames,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6],
      registers: [registry],
    }),
    reconnects: new Gauge({
      name: "shelf_agent_reconnects",
      help: "Stream reconnects since start",
      labelNames,
      registers: [registry],
    }),
    up: new Gauge({
      name: "shelf_agent_camera_up",
      help: "1 while the camera stream delivers frames",
      labelNames,
      registers: [registry],
    }),
  };
}
export type AgentMetrics = ReturnType<typeof createAgentMetrics>;
