// Drops the database named in the URL (tests start from a fresh one). Refuses names without "test".
import pg from "pg";
const url = new URL(process.argv[2]);
const name = decodeURIComponent(url.pathname.slice(1));
if (!/test/.test(name))
  throw new Error(`refusing to drop "${name}": test databases must have "test" in their name`);
url.pathname = "/postgres";
const c = new pg.Client({ connectionString: url.toString() });
await c.connect();
await c.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
await c.end();
