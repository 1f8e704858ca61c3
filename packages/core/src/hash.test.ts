import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fnv1a128Hex, hashUuid } from "./hash.ts";

describe("fnv1a128Hex", () => {
  it("matches the published FNV-1a 128-bit test vectors", () => {
    expect(fnv1a128Hex("")).toBe("6c62272e07bb014262b821756295c58d");
    expect(fnv1a128Hex("a")).toBe("d228cb696f1a8caf78912b704e4a8964");
    expect(fnv1a128Hex("foobar")).toBe("343e1662793c64bf6f0d3597ba446f18");
  });

  it("hashes UTF-8 bytes, not UTF-16 code units", () => {
    // "é" is the UTF-8 bytes c3 a9; hashing its UTF-16 code unit 0xe9 would give d228cb68e71a….
    expect(fnv1a128Hex("é")).toBe("088093bf9eab1be95aa0733054c70821");
    expect(fnv1a128Hex("Zürich 🛒")).toBe("54bc776997b543302fc22812488e1880");
  });

  it("spreads near-identical inputs", () => {
    const hashes = new Set(Array.from({ length: 10_000 }, (_, i) => fnv1a128Hex(`key:${i}`)));
    expect(hashes.size).toBe(10_000);
  });
});

describe("hashUuid", () => {
  it("is a deterministic RFC 9562 version-8 UUID", () => {
    const id = hashUuid("hello");
    expect(id).toBe(hashUuid("hello"));
    expect(id).not.toBe(hashUuid("hello!"));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
  });
});
