// Prints "yes" when the demo store exists in DATABASE_URL (used by start.sh to seed only once).
import pg from "pg";
const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
await c.connect();
const { rowCount } = await c
  .query(`SELECT 1 FROM "Store" WHERE slug = 'demo'`)
  .catch(() => ({ rowCount: 0 }));
console.log(rowCount ? "yes" : "no");
await c.end();
