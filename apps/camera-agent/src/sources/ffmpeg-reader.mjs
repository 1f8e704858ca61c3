// Worker thread: owns one ffmpeg process and drains its raw RGB output continuously. It runs on its own event
// loop so that a busy main thread (face detection is synchronous WebAssembly) never stops the pipe from being
// read. Live streams keep only the newest frame: frames the consumer cannot take in time are dropped here and
// counted, instead of piling up in the pipe, in ffmpeg, or at the camera. Files read faster than real time
// ("lossless") keep a short queue and pause ffmpeg while it is full, so every frame is analysed.
// Plain JavaScript on purpose: worker threads load it directly, whatever runs the main thread (tsx, vitest).
import { spawn } from "node:child_process";
import { parentPort, workerData } from "node:worker_threads";

const { ffmpegPath, args, frameBytes, stallMs, lossless } = workerData;
const child = spawn(ffmpegPath, args, { stdio: ["ignore", "pipe", "pipe"] });
parentPort.postMessage({ type: "started", pid: child.pid, decoded: 0, dropped: 0 });
let queue = [];
let waiting = false;
let decoded = 0;
let dropped = 0;
let partial = Buffer.alloc(0);
let stderr = "";
let lastData = Date.now();
let exitCode;
let ended = false;

function deliver() {
  if (waiting && queue.length > 0) {
    waiting = false;
    const { data, at } = queue.shift();
    parentPort.postMessage({ type: "frame", data, capturedAt: at, decoded, dropped }, [data.buffer]);
    if (lossless && queue.length < 2 && !ended) child.stdout.resume();
  }
  // The last frames of a stream that ended are still handed out before the exit is reported.
  if (ended && queue.length === 0) {
    parentPort.postMessage({ type: "exit", code: exitCode, stderr, decoded, dropped });
    parentPort.close();
  }
}

child.stdout.on("data", (chunk) => {
  lastData = Date.now();
  partial = partial.length ? Buffer.concat([partial, chunk]) : chunk;
  while (partial.length >= frameBytes) {
    // A fresh, exactly-sized buffer: it is transferred to the main thread without copying.
    const data = new Uint8Array(frameBytes);
    data.set(partial.subarray(0, frameBytes));
    partial = partial.subarray(frameBytes);
    decoded++;
    if (!lossless && queue.length > 0) {
      dropped += queue.length;
      queue = [];
    }
    queue.push({ data, at: Date.now() });
  }
  if (lossless && queue.length >= 2) child.stdout.pause();
  deliver();
});
child.stderr.on("data", (d) => (stderr = (stderr + d.toString()).slice(-2000)));
child.on("error", (err) => (stderr += `\n${err.message}`));
const stall = setInterval(
  () => {
    if (Date.now() - lastData > stallMs && !child.stdout.isPaused()) {
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
    queue = []; // the consumer is gone: nothing left to hand out
    if (ended) deliver();
    else child.kill("SIGKILL");
  }
});
