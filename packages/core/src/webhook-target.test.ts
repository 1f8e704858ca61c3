import { describe, expect, it } from "vitest";
import { checkWebhookAddresses } from "./webhook-target.ts";

const check = (url: string, addresses: string[], allowlist: string[] = []) =>
  checkWebhookAddresses({ url: new URL(url), addresses, allowlist });

describe("checkWebhookAddresses", () => {
  it("allows https to public addresses without an allowlist", () => {
    expect(check("https://hooks.example.com/x", ["93.184.216.34", "2606:2800:220:1::1"])).toEqual({
      ok: true,
    });
  });

  it("allows http only to an allowlisted host or CIDR", () => {
    expect(check("http://hooks.example.com/x", ["93.184.216.34"]).ok).toBe(false);
    expect(check("http://hooks.example.com/x", ["93.184.216.34"], ["hooks.example.com"]).ok).toBe(true);
    expect(check("http://hooks.example.com/x", ["93.184.216.34"], ["93.184.216.0/24"]).ok).toBe(true);
  });

  it("refuses private addresses unless the host or the address is named", () => {
    const r = check("https://intranet.local/x", ["10.1.2.3"]);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("RFC 1918") });
    expect(check("https://intranet.local/x", ["10.1.2.3"], ["intranet.local"]).ok).toBe(true);
    expect(check("https://intranet.local/x", ["10.1.2.3"], ["10.0.0.0/8"]).ok).toBe(true);
    expect(check("https://x.example/x", ["fd12::1"]).ok).toBe(false);
    // Every address counts: one private answer among public ones is refused.
    expect(check("https://x.example/x", ["93.184.216.34", "192.168.1.1"]).ok).toBe(false);
  });

  it("refuses loopback and metadata even for an allowlisted name, unless a narrow CIDR names the address", () => {
    expect(check("https://hooks.example.com/x", ["169.254.169.254"], ["hooks.example.com"]).ok).toBe(false);
    expect(check("http://127.0.0.1:8080/x", ["127.0.0.1"], ["0.0.0.0/0"]).ok).toBe(false);
    expect(check("http://127.0.0.1:8080/x", ["127.0.0.1"], ["127.0.0.1/32"]).ok).toBe(true);
    expect(check("https://[::1]/x", ["::1"]).ok).toBe(false);
    expect(check("https://x.example/x", ["::ffff:127.0.0.1"]).ok).toBe(false);
  });

  it("refuses hosts that do not resolve and non-web schemes", () => {
    expect(check("https://nowhere.invalid/x", []).ok).toBe(false);
    expect(check("ftp://x.example/x", ["93.184.216.34"]).ok).toBe(false);
  });
});
