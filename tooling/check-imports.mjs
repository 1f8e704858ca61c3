#!/usr/bin/env node
// The layout's import rules (ARCHITECTURE.md "Layout"), checked on every source file: which workspace may
// import which, no reaching into another workspace by relative path, no framework code in packages.
// Usage: node tooling/check-imports.mjs   (exit 1 and one line per violation)
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
/** workspace → the @shelf packages it may import, and bare modules it must not. */
const RULES = {
  // core's one I/O module, `@shelf/core/redis-client` (every service's Redis connection), may use ioredis.
  "packages/core": {
    shelf: [],
    banned: ["next", "react", "ioredis", "bullmq", "@prisma/client"],
    allowed: { "src/redis-client.ts": ["ioredis"] },
  },
  "packages/db": { shelf: ["core"], banned: ["next", "react"] },
  "packages/survey-engine": { shelf: ["core"], banned: ["next", "react", "@prisma/client"] },
  "packages/inference": { shelf: ["core"], banned: ["next", "react", "@prisma/client"] },
  "packages/api": { shelf: ["core", "db", "survey-engine"], banned: ["next", "react", "react-dom"] },
  "apps/camera-agent": { shelf: ["core", "inference", "db"], banned: ["next", "react"] },
  "apps/worker": { shelf: ["core", "inference", "survey-engine", "db"], banned: ["next", "react"] },
  // The web app: Prisma only through @shelf/api (type imports of its enums are fine), never a model.
  "apps/web": {
    shelf: ["api", "core", "survey-engine", "db:type"],
    banned: ["@prisma/client", "onnxruntime-node"],
  },
};

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", ".next", "generated"].includes(entry.name) || entry.name.startsWith(".next"))
      continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield p;
  }
}

const problems = [];
for (const [ws, rule] of Object.entries(RULES)) {
  const src = path.join(ROOT, ws, "src");
  if (!fs.existsSync(src)) continue;
  for (const file of sourceFiles(src)) {
    const text = fs.readFileSync(file, "utf8");
    const rel = path.relative(ROOT, file);
    const specs = [
      ...[...text.matchAll(IMPORT)].map((m) => ({ spec: m[3], typeOnly: Boolean(m[2]) })),
      ...[...text.matchAll(DYNAMIC)].map((m) => ({ spec: m[1], typeOnly: false })),
    ];
    for (const { spec, typeOnly } of specs) {
      if (spec.startsWith(".")) {
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
        if (!target.startsWith(ws + path.sep))
          problems.push(`${rel}: reaches outside ${ws} by path: "${spec}"`);
        continue;
      }
      const shelf = /^@shelf\/([^/]+)/.exec(spec)?.[1];
      if (shelf) {
        const ok = rule.shelf.includes(shelf) || (typeOnly && rule.shelf.includes(`${shelf}:type`));
        if (!ok)
          problems.push(`${rel}: ${ws} may not import @shelf/${shelf}${typeOnly ? "" : " (value import)"}`);
        continue;
      }
      const bare = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (rule.allowed?.[path.relative(path.join(ROOT, ws), file)]?.includes(bare)) continue;
      if (rule.banned.includes(bare)) problems.push(`${rel}: ${ws} may not import "${spec}"`);
    }
  }
}

if (problems.length) {
  console.error(`${problems.length} import rule violation(s) (see ARCHITECTURE.md, Layout):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`imports follow the layout (${Object.keys(RULES).length} workspaces checked)`);
