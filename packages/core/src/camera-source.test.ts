import { describe, expect, it } from "vitest";
import {
  checkSourceAddresses,
  parseCameraSource,
  parseCidr,
  parseIp,
  withCredentials,
  ZSourceAllowlist,
} from "./camera-source.ts";

describe("parseCameraSource", () => {
  it("accepts network cameras and splits the credentials off the URL", () => {
    expect(parseCameraSource("rtsp://viewer:s3cret@10.0.0.5/stream1")).toEqual({
      kind: "network",
      scheme: "rtsp",
      host: "10.0.0.5",
      port: 554,
      url: "rtsp://10.0.0.5/stream1",
      credentials: "viewer:s3cret",
    });
    expect(parseCameraSource("http://Cam.Example:8080/video.mjpg")).toMatchObject({
      scheme: "http",
      host: "cam.example",
      port: 8080,
      credentials: null,
    });
    expect(parseCameraSource("rtsps://[fd00::5]/live")).toMatchObject({ host: "fd00::5", port: 322 });
    expect(parseCameraSource("local:entrance-usb")).toEqual({ kind: "local", name: "entrance-usb" });
    expect(parseCameraSource("demo:face-api")).toEqual({ kind: "demo", name: "face-api" });
  });

  it.each([
    "file:///etc/passwd",
    "/etc/passwd",
    "v4l2:/dev/video0",
    "folder:/var/lib/motion",
    "-i /etc/passwd",
    "concat:/etc/passwd|/etc/hosts",
    "hls+http://cam/x.m3u8",
    "ftp://cam/x",
    "data:video/mp4;base64,AAAA",
    "local:../etc",
    "http://cam/x y",
    "http:/cam/x",
    "rtsp://cam%2fx/y",
    "http://cam/#frag",
  ])("refuses %s", (url) => {
    expect(() => parseCameraSource(url)).toThrow();
  });

  it("puts credentials back for ffmpeg", () => {
    expect(withCredentials("rtsp://10.0.0.5/s", "viewer:p%40ss")).toBe("rtsp://viewer:p%40ss@10.0.0.5/s");
    expect(withCredentials("rtsp://10.0.0.5/s", null)).toBe("rtsp://10.0.0.5/s");
  });
});

describe("IP addresses and CIDRs", () => {
  it("reads IPv4, IPv6 and IPv4-mapped IPv6", () => {
    expect(parseIp("10.0.0.1")).toEqual({ version: 4, value: 0x0a000001n });
    expect(parseIp("::ffff:127.0.0.1")).toEqual({ version: 4, value: 0x7f000001n });
    expect(parseIp("::ffff:7f00:1")).toEqual({ version: 4, value: 0x7f000001n });
    expect(parseIp("fe80::1")?.version).toBe(6);
    expect(parseIp("1::2::3")).toBeNull();
    expect(parseIp("010.0.0.1")).toBeNull();
    expect(parseIp("256.0.0.1")).toBeNull();
    expect(parseCidr("10.0.5.7/24")).toEqual({ version: 4, base: 0x0a000500n, prefix: 24 });
    expect(parseCidr("10.0.0.0/33")).toBeNull();
  });

  it("validates allowlists", () => {
    expect(ZSourceAllowlist.parse([" Cam.Example ", "10.0.5.0/24", "fd00::/8"])).toEqual([
      "cam.example",
      "10.0.5.0/24",
      "fd00::/8",
    ]);
    expect(ZSourceAllowlist.safeParse(["10.0.0.0/40"]).success).toBe(false);
    expect(ZSourceAllowlist.safeParse(["http://cam"]).success).toBe(false);
  });
});

describe("checkSourceAddresses", () => {
  const check = (host: string, addresses: string[], allowlist: string[]) =>
    checkSourceAddresses({ host, addresses, allowlist });

  it("allows nothing with an empty allowlist", () => {
    expect(check("10.0.0.5", ["10.0.0.5"], []).ok).toBe(false);
  });

  it("allows hosts by name or by CIDR", () => {
    expect(check("cam.example", ["10.0.0.5"], ["cam.example"]).ok).toBe(true);
    expect(check("10.0.5.9", ["10.0.5.9"], ["10.0.5.0/24"]).ok).toBe(true);
    expect(check("10.0.6.9", ["10.0.6.9"], ["10.0.5.0/24"]).ok).toBe(false);
    // Every address must pass: ffmpeg may connect to any of them.
    expect(check("cam.example", ["10.0.5.1", "10.9.9.9"], ["10.0.5.0/24"]).ok).toBe(false);
  });

  it("refuses loopback, link-local and metadata addresses unless a narrow CIDR names them", () => {
    expect(check("169.254.169.254", ["169.254.169.254"], ["0.0.0.0/0"])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/metadata/),
    });
    // An allowlisted name that resolves to a special address (DNS rebinding) is still refused.
    expect(check("cam.example", ["127.0.0.1"], ["cam.example"]).ok).toBe(false);
    expect(check("cam.example", ["::ffff:169.254.169.254"], ["cam.example"]).ok).toBe(false);
    expect(check("localhost", ["::1"], ["::/0"]).ok).toBe(false);
    expect(check("127.0.0.1", ["127.0.0.1"], ["127.0.0.1/32"]).ok).toBe(true);
    expect(check("127.0.0.2", ["127.0.0.2"], ["127.0.0.1/32"]).ok).toBe(false);
  });
});
