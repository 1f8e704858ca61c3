import { describe, expect, it } from "vitest";
import { DEV_SURVEY_SECRET, resolveSurveySecret, SurveyConfigError, surveyConfig } from "./config.ts";
import {
  BodyTooLargeError,
  publicOrigin,
  readForm,
  seeOther,
  statusPath,
  UnsupportedBodyError,
} from "./http.ts";

const form = (body: string | ReadableStream<Uint8Array>, type = "application/x-www-form-urlencoded") =>
  new Request("http://x/", {
    method: "POST",
    body,
    headers: { "content-type": type },
    duplex: "half",
  } as RequestInit);

describe("survey secret", () => {
  const real = "r".repeat(40);
  it("uses the configured secret, or the marked development secret outside production", () => {
    expect(resolveSurveySecret({ NODE_ENV: "production", SURVEY_SECRET: real })).toBe(real);
    expect(resolveSurveySecret({ NODE_ENV: "development" })).toBe(DEV_SURVEY_SECRET);
    expect(resolveSurveySecret({ NODE_ENV: "test" })).toBe(DEV_SURVEY_SECRET);
    expect(DEV_SURVEY_SECRET).toMatch(/dev-only.*never-use-in-production/);
  });
  it("refuses a missing or development secret in production", () => {
    expect(() => resolveSurveySecret({ NODE_ENV: "production" })).toThrow(SurveyConfigError);
    expect(() => resolveSurveySecret({ NODE_ENV: "production", SURVEY_SECRET: DEV_SURVEY_SECRET })).toThrow(
      /development secret/,
    );
  });
  it("trims a trailing slash off the public base URL", () => {
    const c = surveyConfig({ NODE_ENV: "test", QUEUE_PREFIX: "p", PUBLIC_BASE_URL: "https://shop.example/" });
    expect(c).toEqual({ secret: DEV_SURVEY_SECRET, prefix: "p", publicBaseUrl: "https://shop.example" });
  });
});

describe("request helpers", () => {
  it("builds the public origin from config, else a well-formed forwarded host", () => {
    expect(publicOrigin("https://shop.example", new Headers({ host: "evil" }))).toBe("https://shop.example");
    expect(publicOrigin(null, new Headers({ host: "127.0.0.1:3000" }))).toBe("http://127.0.0.1:3000");
    expect(
      publicOrigin(null, new Headers({ "x-forwarded-host": "shop.example", "x-forwarded-proto": "https" })),
    ).toBe("https://shop.example");
    expect(publicOrigin(null, new Headers({ host: "evil.example/<script>" }))).toBe("http://localhost");
    expect(publicOrigin(null, new Headers({ host: "x", "x-forwarded-proto": "javascript" }))).toBe(
      "http://x",
    );
  });

  it("reads urlencoded forms up to a byte cap, refusing bigger ones and other encodings", async () => {
    expect((await readForm(form("a=1&b=%3Cscript%3E"), 100)).get("b")).toBe("<script>");
    await expect(readForm(form("a=".padEnd(200, "x")), 100)).rejects.toBeInstanceOf(BodyTooLargeError);
    // A streamed body without content-length is cut off while reading.
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(64).fill(120));
      },
    });
    await expect(readForm(form(stream), 1000)).rejects.toBeInstanceOf(BodyTooLargeError);
    await expect(readForm(form("{}", "application/json"), 100)).rejects.toBeInstanceOf(UnsupportedBodyError);
    await expect(readForm(form("x", "multipart/form-data; boundary=x"), 100)).rejects.toBeInstanceOf(
      UnsupportedBodyError,
    );
  });

  it("redirects only within this origin", () => {
    expect(seeOther("/s/status/thanks").headers.get("location")).toBe("/s/status/thanks");
    expect(seeOther("/x").status).toBe(303);
    expect(() => seeOther("//evil.example/")).toThrow();
    expect(() => seeOther("https://evil.example/")).toThrow();
    expect(statusPath("thanks", "k 1")).toBe("/s/status/thanks?kiosk=k%201");
  });
});
