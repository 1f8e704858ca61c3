import { createRequire } from "node:module";
import path from "node:path";
const require = createRequire(import.meta.url);
const t0 = performance.now();
let tfnode = false;
try { await import("@tensorflow/tfjs-node"); tfnode = true; } catch (e) { console.log("no tfjs-node:", (e as Error).message.slice(0, 100)); }
const faceapi = await import("@vladmandic/face-api/dist/face-api.node-wasm.js");
const fa: any = (faceapi as any).default ?? faceapi;
console.log(Object.keys(faceapi).slice(0, 10), typeof fa.tf.setWasmPaths);
const wasmDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")) + "/dist/";
fa.tf.setWasmPaths(wasmDir);
console.log(await fa.tf.setBackend("wasm"), fa.tf.getBackend(), performance.now() - t0);
await fa.tf.ready();
const tf = fa.tf;
console.log("simd", await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"), "threads", await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
