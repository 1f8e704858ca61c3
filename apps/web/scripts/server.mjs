// The web app's production server: Next's request handler behind a plain node:http server whose only job is
// to tell the app who is on the other end of each socket. It writes the peer address into
// x-shelf-peer-address on every request (replacing whatever a client sent under that name) and marks the
// process so src/server/peer-address.ts believes that header: sign-in and survey rate limits then key on an
// address the client cannot choose. Otherwise the same as `next start` (PORT, HOST; default 3000, all
// interfaces; HOST=127.0.0.1 for this machine only).
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const PEER_ADDRESS_HEADER = "x-shelf-peer-address";
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || "0.0.0.0";

const app = next({ dev: false, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
globalThis[Symbol.for("shelf.peer-address-stamped")] = true;

const server = createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
  handle(req, res).catch((err) => {
    console.error("request failed:", err);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.listen(port, hostname, () => console.log(`web: listening on http://${hostname}:${port}`));

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
