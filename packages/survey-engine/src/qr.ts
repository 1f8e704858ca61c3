import QRCode from "qrcode";

/**
 * Printable QR codes (node-qrcode). Error correction "M" (15 %) survives a scuffed shelf label and keeps
 * the symbol small for a ~100-character URL. The package's `./qr` export.
 */

export interface QrOptions {
  /** PNG width in pixels (default 600: ~5 cm at 300 dpi). Ignored for SVG, which scales. */
  widthPx?: number;
  /** Quiet zone in modules (default 4, the standard's minimum). */
  margin?: number;
}

const MAX_URL = 1024;

function checkUrl(url: string): void {
  if (url.length > MAX_URL || !/^https?:\/\//.test(url)) throw new Error("QR payload must be an http(s) URL");
}

/** The QR code of a URL as a standalone SVG document (scalable, for print). */
export async function qrSvg(url: string, options: QrOptions = {}): Promise<string> {
  checkUrl(url);
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: options.margin ?? 4 });
}

/** The QR code of a URL as a PNG image. */
export async function qrPng(url: string, options: QrOptions = {}): Promise<Buffer> {
  checkUrl(url);
  return QRCode.toBuffer(url, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: options.margin ?? 4,
    width: Math.max(64, Math.min(4096, options.widthPx ?? 600)),
  });
}
