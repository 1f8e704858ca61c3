import { describe, expect, it } from "vitest";
import { maskSourceUrl } from "@shelf/api/routers/cameras/source-url";
import { requestOrigin } from "@shelf/api/auth/auth";
import { safeNext, storeHome } from "./roles.ts";

describe("small guards", () => {
  it("sends people to same-origin paths only after sign-in", () => {
    expect(safeNext("/stores/demo/map?from=2026-11-01")).toBe("/stores/demo/map?from=2026-11-01");
    for (const bad of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\\\\evil.example",
      "\t//evil.example",
      "",
      undefined,
      null,
    ])
      expect(safeNext(bad)).toBe("/");
    expect(safeNext("/stores/demo/../x#top")).toBe("/stores/x#top");
  });

  it("opens a store on the first page of the role", () => {
    expect(storeHome("demo", "merchandiser")).toBe("/stores/demo/overview");
    expect(storeHome("demo", "staff")).toBe("/stores/demo/cameras");
    expect(storeHome("demo", "admin")).toBe("/stores/demo/overview");
  });

  it("masks camera passwords", () => {
    expect(maskSourceUrl("rtsp://viewer:s3cr@t!@10.0.0.5:554/stream")).toBe(
      "rtsp://viewer:•••@10.0.0.5:554/stream",
    );
    expect(maskSourceUrl("rtsp://10.0.0.5/stream")).toBe("rtsp://10.0.0.5/stream");
    expect(maskSourceUrl("file:/videos/aisle.mp4")).toBe("file:/videos/aisle.mp4");
  });

  it("derives the request's own origin for the sign-in CSRF check", () => {
    const req = (headers: Record<string, string>) =>
      new Request("http://localhost:3000/api/auth/sign-in/email", { headers });
    expect(requestOrigin(req({ host: "127.0.0.1:4000" }))).toBe("http://127.0.0.1:4000");
    expect(
      requestOrigin(
        req({
          host: "internal:3000",
          "x-forwarded-host": "shop.example, proxy",
          "x-forwarded-proto": "https",
        }),
      ),
    ).toBe("https://shop.example");
    expect(requestOrigin(req({ host: "a b" }))).toBeNull();
    expect(requestOrigin(undefined)).toBeNull();
  });
});
