// Asks DATABASE_URL one yes/no question for start.sh: `node scripts/demo-exists.mjs` → is the demo chain
// seeded (seed it only once); `node scripts/demo-exists.mjs admins` → does any super admin exist (else start.sh
// points a production install at `npm run admin:create`). Prints "yes" or "no".
import pg from "pg";
const QUESTIONS = {
  // The demo chain's seed writes this marker last, in the same transaction as everything else.
  store: `SELECT 1 FROM "AuditLog" a JOIN "Store" s ON s.id = a."storeId" WHERE s.slug = 'demo' AND a.action = 'demo.seed'`,
  admins: `SELECT 1 FROM "User" WHERE "isSuperAdmin" LIMIT 1`,
};
const sql = QUESTIONS[process.argv[2] ?? "store"];
if (!sql) throw new Error(`unknown question "${process.argv[2]}" (store | admins)`);
const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
await c.connect();
const { rowCount } = await c.query(sql).catch(() => ({ rowCount: 0 }));
console.log(rowCount ? "yes" : "no");
await c.end();
