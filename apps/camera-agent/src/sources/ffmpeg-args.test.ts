import { describe, expect, it } from "vitest";
import { ffmpegInputArgs, pinnedUrl, redactSecrets } from "./ffmpeg.ts";

describe("ffmpeg input arguments", () => {
  it("forces the demuxer and whitelists the protocols of each scheme", () => {
    const http = ffmpegInputArgs("http://cam.lan:8080/video.mjpg", true, false);
    expect(http).toEqual([
      "-protocol_whitelist",
      "http,https,tcp,tls",
      "-max_redirects",
      "0",
      "-reconnect",
      "0",
      "-f",
      "mpjpeg",
      "-i",
      "http://cam.lan:8080/video.mjpg",
    ]);
    const rtsp = ffmpegInputArgs("rtsp://u:p@cam.lan/live", true, false);
    expect(rtsp.slice(0, 2)).toEqual(["-protocol_whitelist", "rtsp,rtsps,tcp,tls,rtp,udp"]);
    expect(rtsp).toContain("rtsp");
    expect(ffmpegInputArgs("/srv/a.mp4", false, true)).toEqual([
      "-protocol_whitelist",
      "file",
      "-stream_loop",
      "-1",
      "-i",
      "/srv/a.mp4",
    ]);
    expect(() => ffmpegInputArgs("concat:/etc/passwd", false, false)).toThrow(/absolute path/);
  });

  it("connects to the checked address, keeping the name where the protocol needs it", () => {
    expect(pinnedUrl("http://cam.lan:8080/v.mjpg", "10.0.0.5")).toEqual({
      url: "http://10.0.0.5:8080/v.mjpg",
      host: "cam.lan:8080",
    });
    expect(pinnedUrl("rtsp://u:p@cam.lan/live", "fd00::5")).toEqual({
      url: "rtsp://u:p@[fd00::5]/live",
      host: null,
    });
    expect(pinnedUrl("https://cam.lan/v", "10.0.0.5")).toEqual({ url: "https://cam.lan/v", host: null });
    const args = ffmpegInputArgs("http://cam.lan/v.mjpg", true, false, { address: "10.0.0.5" });
    expect(args).toContain("http://10.0.0.5/v.mjpg");
    expect(args).toContain("Host: cam.lan\r\n");
  });

  it("masks credentials in ffmpeg's error output", () => {
    const stderr =
      "rtsp://viewer:p%40ss@10.0.0.5/live: Connection refused\n[tcp] auth p@ss failed for http://a:b@h/x";
    const out = redactSecrets(stderr, ["p%40ss"]);
    expect(out).not.toMatch(/p%40ss|p@ss|a:b@/);
    expect(out).toContain("rtsp://***@10.0.0.5/live");
  });
});
