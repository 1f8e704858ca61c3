import { describe, expect, it } from "vitest";
import { safeSurveyBackPath } from "./invite-notice.ts";
import { isLocalOrigin, noticePath, noticeUrl } from "./notice-url.ts";

describe("the privacy notice's address", () => {
  it("is /privacy/<store> at the public origin", () => {
    expect(noticePath("demo")).toBe("/privacy/demo");
    expect(noticeUrl("https://shop.example/", "demo-2")).toBe("https://shop.example/privacy/demo-2");
  });

  it("warns when a printed URL would only work on this computer", () => {
    for (const o of [
      "http://localhost:3000",
      "http://127.0.0.1:3000",
      "http://[::1]:3000",
      "http://app.localhost",
      "nonsense",
    ])
      expect(isLocalOrigin(o), o).toBe(true);
    for (const o of ["https://shop.example", "http://192.168.1.20:3000", "http://localhost.example.com"])
      expect(isLocalOrigin(o), o).toBe(false);
  });

  it("links back only to a survey consent page of this site", () => {
    expect(safeSurveyBackPath("/s/eyJpIjoiYSJ9.abc-_")).toBe("/s/eyJpIjoiYSJ9.abc-_");
    for (const bad of [
      "//evil.example",
      "/s/../admin",
      "/s/..",
      "/s/a?x=1",
      "https://evil.example/s/a",
      "/stores/x",
      1,
      null,
    ])
      expect(safeSurveyBackPath(bad), String(bad)).toBeNull();
  });
});
