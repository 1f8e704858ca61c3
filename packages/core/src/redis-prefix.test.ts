import { describe, expect, it } from "vitest";
import { inStoreShard, parseStoreShard, redisLayout, storeAclKeyPattern } from "./redis-prefix.ts";
import { parseClusterNodes, redisConnectionConfig, redisNodeOptions } from "./redis-connection.ts";
import { isStoreQueue, QUEUES, redisKeys } from "./queues.ts";
import { AGENT_ACL_COMMANDS, agentAclUser, storeAgentAclRules } from "./redis-acl.ts";

/** The cluster slot of a key, as Redis computes it (CRC16/XMODEM of the hash tag, or of the key). */
function slot(key: string): number {
  const open = key.indexOf("{");
  const close = open >= 0 ? key.indexOf("}", open + 1) : -1;
  const tagged = open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(tagged)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

describe("redisLayout", () => {
  const layout = redisLayout("shelf");

  it("names a hash-tagged prefix per store and one for the centre", () => {
    expect(layout.store("ckstore1")).toBe("shelf:{s:ckstore1}");
    expect(layout.central).toBe("{shelf}");
    expect(storeAclKeyPattern(layout, "ckstore1")).toBe("shelf:{s:ckstore1}:*");
  });

  it("keeps every key of a store in one cluster slot, and stores in different slots", () => {
    const p = layout.store("ckstore1");
    const keys = [
      `${p}:${QUEUES.crops}:wait`,
      `${p}:${QUEUES.tracks}:meta`,
      redisKeys.visitCrops(p, { trackKey: "run:1:0", zoneId: "z1" }),
      redisKeys.cropKeys(p, "k".repeat(20)),
    ];
    expect(new Set(keys.map(slot)).size).toBe(1);
    expect(slot(`${layout.store("ckstore2")}:x`)).not.toBe(slot(keys[0]!));
    expect(slot(`${layout.central}:${QUEUES.scoring}:wait`)).toBe(
      slot(redisKeys.cropRecipients(layout.central)),
    );
  });

  it("refuses prefixes and store ids that would break the tag or the ACL pattern", () => {
    expect(() => redisLayout("a{b")).toThrow();
    expect(() => layout.store("a}b")).toThrow();
    expect(() => layout.store("a*")).toThrow();
    expect(() => layout.store("")).toThrow();
  });

  it("says which queues are a store's", () => {
    expect(isStoreQueue(QUEUES.crops)).toBe(true);
    expect(isStoreQueue(QUEUES.tracks)).toBe(true);
    expect(isStoreQueue(QUEUES.scoring)).toBe(false);
  });
});

describe("store shards", () => {
  it("parses index/count and refuses the rest", () => {
    expect(parseStoreShard("0/1")).toEqual({ index: 0, count: 1 });
    expect(parseStoreShard("3/4")).toEqual({ index: 3, count: 4 });
    for (const bad of ["4/4", "1", "-1/2", "0/0", "a/b"]) expect(() => parseStoreShard(bad)).toThrow();
  });

  it("puts each store in exactly one shard, spread roughly evenly", () => {
    const count = 4;
    const sizes = [0, 0, 0, 0];
    for (let i = 0; i < 1000; i++) {
      const id = `store${i}`;
      const owners = [0, 1, 2, 3].filter((index) => inStoreShard(id, { index, count }));
      expect(owners).toHaveLength(1);
      sizes[owners[0]!]!++;
    }
    for (const n of sizes) expect(n).toBeGreaterThan(200);
    expect(inStoreShard("anything", { index: 0, count: 1 })).toBe(true);
  });
});

describe("redis connection config", () => {
  it("parses cluster nodes", () => {
    expect(parseClusterNodes("127.0.0.1:7000, localhost:7001")).toEqual([
      { host: "127.0.0.1", port: 7000 },
      { host: "localhost", port: 7001 },
    ]);
    expect(parseClusterNodes("[::1]:7000")).toEqual([{ host: "::1", port: 7000 }]);
    expect(parseClusterNodes("host")).toBeNull();
    expect(parseClusterNodes("host:0")).toBeNull();
  });

  it("takes the ACL user and TLS from the URL", () => {
    const c = redisConnectionConfig({
      REDIS_URL: "rediss://agent-s1:p%40ss@redis.example:6380",
      REDIS_TLS_CA_FILE: "/etc/ca.pem",
      REDIS_CLUSTER_NODES: "a:1,b:2",
    });
    expect(c.clusterNodes).toHaveLength(2);
    expect(redisNodeOptions(c, (f) => `pem of ${f}`)).toEqual({
      username: "agent-s1",
      password: "p@ss",
      tls: { ca: "pem of /etc/ca.pem" },
    });
    expect(redisNodeOptions({ url: "redis://127.0.0.1:6379" }, () => "")).toEqual({});
  });
});

describe("store agent ACL rules", () => {
  it("confine a store's agent to its prefix, no channels, only the listed commands", () => {
    const rules = storeAgentAclRules(redisLayout("shelf"), "ckstore1", "a".repeat(64));
    expect(rules.slice(0, 6)).toEqual([
      "reset",
      "on",
      `#${"a".repeat(64)}`,
      "~shelf:{s:ckstore1}:*",
      "resetchannels",
      "-@all",
    ]);
    expect(rules.slice(6)).toEqual(AGENT_ACL_COMMANDS.map((c) => `+${c}`));
    for (const c of ["+scan", "+keys", "+info", "+get", "+del", "+publish", "+@all", "+config"])
      expect(rules).not.toContain(c);
    expect(agentAclUser("store-1")).toBe("agent-store-1");
    expect(() => agentAclUser("Bad Slug")).toThrow();
    expect(() => storeAgentAclRules(redisLayout("shelf"), "ckstore1", "plain")).toThrow();
  });
});
