// Worker thread: owns one ffmpeg process and drains its raw RGB output continuously, keeping only the newest
// frame. It runs on its own event loop so that a busy main thread (face detection is synchronous WebAssembly)
// never stops the pipe from being read: frames the consumer cannot take in time are dropped here and counted,
// instead of piling up in the pipe, in ffmpeg, or at the camera.
// Plain JavaScript on purpose: worker threads load it directly, whatever runs the main thread (tsx, vitest).
import { spawn } from "node:child_process";
import { parentPort, workerData } from "node:worker_threads";

const { ffmpegPath, args, frameBytes, stallMs } = workerData;
const child = spawn(ffmpegPath, args, { stdio: ["ignore", "pipe", "pipe"] });
parentPort.postMessage({ type: "started", pid: child.pid, decoded: 0, dropped: 0 });
let latest = null;
let latestAt = 0;
let waiting = false;
let decoded = 0;
let dropped = 0;
let partial = Buffer.alloc(0);
let stderr = "";
let lastData = Date.now();

let exitCode;
let ended = false;

function deliver() {
  if (waiting && latest) {
    waiting = false;
    const frame = latest;
    latest = null;
    parentPort.postMessage({ type: "frame", data: frame, capturedAt: latestAt, decoded, dropped }, [
      frame.buffer,
    ]);
  }
  // The last frame of a stream that ended is still handed out before the exit is reported.
  if (ended && !latest) {
    parentPort.postMessage({ type: "exit", code: exitCode, stderr, decoded, dropped });
    parentPort.close();
  }
}

child.stdout.on("data", (chunk) => {
  lastData = Date.now();
  partial = partial.length ? Buffer.concat([partial, chunk]) : chunk;
  while (partial.length >= frameBytes) {
    if (latest) dropped++;
    // A fresh, exactly-sized buffer: it is transferred to the main thread without copying.
    latest = new Uint8Array(frameBytes);
    latest.set(partial.subarray(0, frameBytes));
    latestAt = Date.now();
    partial = partial.subarray(frameBytes);
    decoded++;
  }
  deliver();
});
child.stderr.on("data", (d) => (stderr = (stderr + d.toString()).slice(-2000)));
child.on("error", (err) => (stderr += `\n${err.message}`));
const stall = setInterval(
  () => {
    if (Date.now() - lastData > stallMs) {
      stderr += `\nno data for ${stallMs} ms`;
      child.kill("SIGKILL");
    }
  },
  Math.min(stallMs, 1000),
);
child.on("close", (code) => {
  clearInterval(stall);
  exitCode = code;
  ended = true;
  deliver();
});
parentPort.on("message", (msg) => {
  if (msg === "take") {
    waiting = true;
    deliver();
  } else if (msg === "stop") {
    latest = null; // the consumer is gone: nothing left to hand out
    if (ended) deliver();
    else child.kill("SIGKILL");
  }
});
