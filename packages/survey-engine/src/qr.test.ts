import { describe, expect, it } from "vitest";
import { qrPng, qrSvg } from "./qr.ts";

const url = "https://shop.example/s/q/eyJzIjoic3RvcmUxIiwiaSI6Iml0ZW0xIn0.abcdefghijklmnopqrstuv";

describe("QR codes", () => {
  it("renders a standalone SVG", async () => {
    const svg = await qrSvg(url);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).not.toContain("<script");
  });

  it("renders a PNG of the requested width", async () => {
    const png = await qrPng(url, { widthPx: 300 });
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // IHDR width, big-endian at byte 16.
    expect(png.readUInt32BE(16)).toBe(300);
  });

  it("encodes only http(s) URLs of bounded length", async () => {
    await expect(qrSvg("javascript:alert(1)")).rejects.toThrow(/http/);
    await expect(qrPng(`https://x/${"a".repeat(2000)}`)).rejects.toThrow();
  });
});
