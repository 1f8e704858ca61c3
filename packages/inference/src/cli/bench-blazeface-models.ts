import { loadavg } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { createFaceAnalyzer, type FaceAnalyzer } from "../analyzer.ts";
import { defaultBlazeFaceModelPath, loadBlazeFace, type BlazeFaceDetector } from "../blazeface.ts";
import { locateDataset } from "../datasets.ts";
import type { RgbFrame } from "../frame.ts";
import {
  emit,
  formatTable,
  numberFlag,
  parseCliArgs,
  runCli,
  stderrLogger,
  userPath,
} from "./cli-support.ts";

const USAGE = `usage: npm run -s bench:blazeface-models -w @shelf/inference -- [--model <file>]... [--runs N] [--json]

  A/B speed of BlazeFace model files of the same network (e.g. the float file and its int8 copy) on one core,
  in one process, turn about, so that load from other processes hits every file alike. Input: the first frame
  of face-demographics-walking-and-pause.gif letterboxed into 640×480. Per file, CPU time of the process
  (process.cpuUsage) per call, p50 / p95:
    net   the network on the full-resolution level alone (the whole frame at scale 1, heads decoded)
    scan  a full scan, detect(frame): the pyramid (1, ½, ¼, ⅛) and the cross-scale suppression

  --model <file>   a model file (repeat; default: the two shipped files, plain and channel-padded)
  --runs <n>       measured calls per file and kind, after 10 of warm-up (default 100)
  --json           print JSON`;

const ZArgs = z
  .object({
    model: z.array(z.string().min(1).transform(userPath)).optional(),
    runs: numberFlag(z.number().int().min(5).max(10_000)).default(100),
    json: z.boolean().default(false),
  })
  .strict();

async function letterboxed(file: string, width: number, height: number): Promise<RgbFrame> {
  const { data, info } = await sharp(file, { page: 0 })
    .resize(width, height, { fit: "contain", background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  const c = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(c);
  return (used.user + used.system) / 1000;
}

await runCli(USAGE, async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    { model: { type: "string", multiple: true }, runs: { type: "string" }, json: { type: "boolean" } },
    ZArgs,
  );
  const files = args.model ?? [
    defaultBlazeFaceModelPath({ avx512: false }),
    defaultBlazeFaceModelPath({ avx512: true }),
  ];
  const frame = await letterboxed(
    path.join(locateDataset("store-video").dir, "face-demographics-walking-and-pause.gif"),
    640,
    480,
  );
  const whole = [{ box: { x: 0, y: 0, w: frame.width, h: frame.height }, scale: 1 }];
  const subjects: { file: string; net: BlazeFaceDetector; analyzer: FaceAnalyzer; faces: number }[] = [];
  for (const file of files) {
    const analyzer = createFaceAnalyzer(
      { landmarks: false, expression: { model: "none" }, models: { blazefaceOnnx: file } },
      { logger: stderrLogger },
    );
    await analyzer.load();
    subjects.push({ file, net: await loadBlazeFace(file), analyzer, faces: 0 });
  }
  const load0 = loadavg();
  const times = subjects.map(() => ({ net: [] as number[], scan: [] as number[] }));
  for (let i = 0; i < args.runs + 10; i++)
    for (const [k, s] of subjects.entries()) {
      const net = await cpuMs(() => s.net.detect(frame, whole, 0.65));
      let faces = 0;
      const scan = await cpuMs(async () => {
        faces = (await s.analyzer.detect(frame, { boxesOnly: true })).faces.length;
      });
      if (i < 10) continue;
      times[k]!.net.push(net);
      times[k]!.scan.push(scan);
      s.faces = faces;
    }
  const load1 = loadavg();
  for (const s of subjects) {
    await s.net.dispose();
    await s.analyzer.dispose();
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  const results = subjects.map((s, k) => ({
    model: path.basename(s.file),
    faces: s.faces,
    netCpuMsP50: round(percentile(times[k]!.net, 50)),
    netCpuMsP95: round(percentile(times[k]!.net, 95)),
    scanCpuMsP50: round(percentile(times[k]!.scan, 50)),
    scanCpuMsP95: round(percentile(times[k]!.scan, 95)),
  }));
  const loadAverage = { before: load0.map(round), after: load1.map(round) };
  emit(args.json, { frame: "640×480", runs: args.runs, loadAverage, results }, () =>
    [
      `640×480, ${args.runs} calls per file and kind, files taking turns; CPU ms of this process, one thread.`,
      `load average (1, 5, 15 min) before ${loadAverage.before.join(" ")}, after ${loadAverage.after.join(" ")}`,
      "",
      formatTable(
        ["model", "faces", "net p50", "net p95", "scan p50", "scan p95"],
        results.map((r) => [r.model, r.faces, r.netCpuMsP50, r.netCpuMsP95, r.scanCpuMsP50, r.scanCpuMsP95]),
      ),
    ].join("\n"),
  );
});
