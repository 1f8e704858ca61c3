import { readdir, readFile, stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { letterbox } from "./demo-photos.ts";
import type { FrameSource, SourceFrame } from "./frame-source.ts";

const IMAGE = /\.(jpe?g|png|webp)$/i;

export interface ImageFolderOptions {
  /** Folder the camera software (e.g. `motion`) writes stills into. */
  dir: string;
  width: number;
  height: number;
  /** How often the folder is looked at, ms. Default 200. */
  pollMs?: number;
  /**
   * Delete each still once it has been read (default true). The stills are face images on disk: leaving
   * them would break the product's promise that none is kept. Set false only for a folder you manage.
   */
  deleteAfterRead?: boolean;
  /** A file younger than this may still be being written, ms. Default 150. */
  settleMs?: number;
  logger?: Logger;
}

/**
 * Motion-triggered stills: new image files in a folder, newest first. When several arrived since the last
 * frame was taken, only the newest is analysed and the others count as dropped (and are deleted too).
 */
export class ImageFolderSource implements FrameSource {
  readonly kind = "folder";
  droppedFrames = 0;
  reconnects = 0;
  up = false;

  constructor(private readonly opts: ImageFolderOptions) {}

  async *frames(signal: AbortSignal): AsyncIterable<SourceFrame> {
    const { dir, width, height, pollMs = 200, deleteAfterRead = true, settleMs = 150, logger } = this.opts;
    const seen = new Set<string>();
    while (!signal.aborted) {
      let files: { name: string; mtime: number }[] = [];
      try {
        const names = (await readdir(dir)).filter((n) => IMAGE.test(n) && !seen.has(n));
        files = (
          await Promise.all(
            names.map(async (name) => {
              const s = await stat(path.join(dir, name)).catch(() => null);
              return s?.isFile() ? { name, mtime: s.mtimeMs } : null;
            }),
          )
        ).filter((f): f is { name: string; mtime: number } => f !== null && Date.now() - f.mtime >= settleMs);
        if (!this.up) logger?.info({ dir }, "image folder readable");
        this.up = true;
      } catch (err) {
        if (this.up) logger?.warn({ dir, err: (err as Error).message }, "image folder unreadable");
        this.up = false;
      }
      files.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
      const newest = files.at(-1);
      for (const f of files) {
        seen.add(f.name);
        if (f !== newest) {
          this.droppedFrames++;
          if (deleteAfterRead) await unlink(path.join(dir, f.name)).catch(() => undefined);
        }
      }
      if (newest) {
        const file = path.join(dir, newest.name);
        try {
          const frame = await letterbox(new Uint8Array(await readFile(file)), width, height);
          if (deleteAfterRead) await unlink(file).catch(() => undefined);
          yield { frame, capturedAt: Math.round(newest.mtime) };
        } catch (err) {
          logger?.warn({ file: newest.name, err: (err as Error).message }, "unreadable still skipped");
          if (deleteAfterRead) await unlink(file).catch(() => undefined);
        }
        continue;
      }
      if (seen.size > 10_000) seen.clear(); // deleted files never come back; bound the memory
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
