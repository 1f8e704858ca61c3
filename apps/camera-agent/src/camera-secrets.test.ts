import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCameraSecretKey, openSecret, sealSecret } from "@shelf/db";

describe("camera secrets", () => {
  it("creates the key file 0600 once and seals with AES-256-GCM", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "cam-key-")), ".data", "camera-secret.key");
    const key = loadCameraSecretKey({ file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadCameraSecretKey({ file }).equals(key)).toBe(true);
    const sealed = sealSecret(key, "viewer:s3cret");
    expect(sealed).not.toContain("s3cret");
    expect(sealSecret(key, "viewer:s3cret")).not.toBe(sealed); // fresh IV each time
    expect(openSecret(key, sealed)).toBe("viewer:s3cret");
    expect(readFileSync(file, "utf8")).not.toContain("s3cret");
  });

  it("refuses a wrong key, an altered secret and a short CAMERA_SECRET_KEY", () => {
    const a = loadCameraSecretKey({ key: Buffer.alloc(32, 1).toString("base64") });
    const b = loadCameraSecretKey({ key: Buffer.alloc(32, 2).toString("base64") });
    const sealed = sealSecret(a, "p");
    expect(() => openSecret(b, sealed)).toThrow(/CAMERA_SECRET_KEY/);
    expect(() => openSecret(a, sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA"))).toThrow();
    expect(() => loadCameraSecretKey({ key: "c2hvcnQ=" })).toThrow(/CAMERA_SECRET_KEY: must be 32 bytes/);
  });
});
