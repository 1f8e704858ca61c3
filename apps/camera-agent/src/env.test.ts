import { describe, expect, it } from "vitest";
import { loadAgentEnv } from "./env.ts";

describe("agent env", () => {
  it("listens on loopback by default and maps local sources", () => {
    const env = loadAgentEnv({
      AGENT_LOCAL_SOURCES:
        '{"aisle":"/srv/aisle.mp4","usb":"v4l2:/dev/video0","stills":"folder:/var/lib/motion"}',
    });
    expect(env.AGENT_HOST).toBe("127.0.0.1");
    expect(env.AGENT_LOCAL_SOURCES).toEqual({
      aisle: "/srv/aisle.mp4",
      usb: "v4l2:/dev/video0",
      stills: "folder:/var/lib/motion",
    });
    expect(loadAgentEnv({}).AGENT_LOCAL_SOURCES).toEqual({});
    expect(loadAgentEnv({}).MALLOC_ARENA_MAX).toBeUndefined();
    expect(loadAgentEnv({ MALLOC_ARENA_MAX: "2" }).MALLOC_ARENA_MAX).toBe(2);
  });

  it("refuses a non-loopback listener without a token, short tokens and bad local sources", () => {
    expect(() => loadAgentEnv({ AGENT_HOST: "0.0.0.0" })).toThrow(/AGENT_HOST: .*AGENT_METRICS_TOKEN/);
    expect(loadAgentEnv({ AGENT_HOST: "0.0.0.0", AGENT_METRICS_TOKEN: "x".repeat(32) }).AGENT_HOST).toBe(
      "0.0.0.0",
    );
    expect(loadAgentEnv({ AGENT_HOST: "::1" }).AGENT_HOST).toBe("::1");
    expect(() => loadAgentEnv({ AGENT_METRICS_TOKEN: "short" })).toThrow(/AGENT_METRICS_TOKEN/);
    expect(() => loadAgentEnv({ AGENT_LOCAL_SOURCES: "{not json" })).toThrow(/AGENT_LOCAL_SOURCES/);
    expect(() => loadAgentEnv({ AGENT_LOCAL_SOURCES: '{"a":"relative/path.mp4"}' })).toThrow(
      /AGENT_LOCAL_SOURCES/,
    );
    expect(() => loadAgentEnv({ AGENT_LOCAL_SOURCES: '{"../x":"/srv/a.mp4"}' })).toThrow(
      /AGENT_LOCAL_SOURCES/,
    );
  });
});
