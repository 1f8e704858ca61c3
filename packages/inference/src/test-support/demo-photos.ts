import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** Path of face-api's demo photo `sample<n>.jpg` (n = 1…6), as installed. */
export function demoPhotoPath(n: number): string {
  return path.join(
    path.dirname(require.resolve("@vladmandic/face-api/package.json")),
    "demo",
    `sample${n}.jpg`,
  );
}
