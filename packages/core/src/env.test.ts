import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EnvError, parseEnv, ZPostgresUrl, ZRedisUrl } from "./env.ts";

const schema = z.object({
  DATABASE_URL: ZPostgresUrl.default("postgresql://postgres@127.0.0.1:5432/shelf"),
  REDIS_URL: ZRedisUrl.default("redis://127.0.0.1:6379"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

describe("parseEnv", () => {
  it("applies defaults, treating empty strings as unset", () => {
    const env = parseEnv(schema, { DATABASE_URL: "", PORT: "8080" });
    expect(env).toEqual({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/shelf",
      REDIS_URL: "redis://127.0.0.1:6379",
      PORT: 8080,
    });
  });

  it("names every wrong variable in one error", () => {
    let error: unknown;
    try {
      parseEnv(schema, { DATABASE_URL: "mysql://x/y", REDIS_URL: "nope", PORT: "70000" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const vars = (error as EnvError).issues.map((i) => i.variable).sort();
    expect(vars).toEqual(["DATABASE_URL", "PORT", "REDIS_URL"]);
    expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
  });
});
