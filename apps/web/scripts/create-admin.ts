import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { createDb } from "@shelf/db";
import { webEnv } from "@shelf/api/env";
import { createFirstAdmin, FirstAdminError, ZFirstAdminInput } from "@shelf/api/auth/first-admin";

// npm run admin:create -- --email you@shop.example --name "Your Name"
// One-time setup of a real install: creates its first super admin with a password you choose (asked for
// twice without echo; from a pipe, the first line of stdin). Refuses once a super admin exists and never
// changes an existing account.

/** Reads one line; without echo when stdin is a terminal. */
async function ask(question: string, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  if (hidden && process.stdin.isTTY) {
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    const write = out._writeToOutput.bind(rl);
    let prompted = false;
    out._writeToOutput = (s: string) => {
      if (!prompted) write(s);
      prompted = true;
    };
  }
  try {
    return await rl.question(question);
  } finally {
    if (hidden && process.stdin.isTTY) process.stderr.write("\n");
    rl.close();
  }
}

const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" } },
  strict: true,
});
let email: string, name: string, password: string;
if (process.stdin.isTTY) {
  email = values.email ?? (await ask("Email of the first admin: ", false));
  name = values.name ?? (await ask("Their name: ", false));
  password = await ask("Password (not shown): ", true);
  if ((await ask("Again: ", true)) !== password) {
    console.error("The two passwords differ; nothing was created.");
    process.exit(1);
  }
} else {
  // From a pipe: the lines not given as flags, in order (email, name, password).
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const lines = Buffer.concat(chunks).toString("utf8").split(/\r?\n/);
  email = values.email ?? lines.shift() ?? "";
  name = values.name ?? lines.shift() ?? "";
  password = lines.shift() ?? "";
}

const parsed = ZFirstAdminInput.safeParse({ email, name, password });
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
const db = createDb({ url: webEnv().DATABASE_URL });
try {
  const admin = await createFirstAdmin(db, parsed.data);
  console.log(`Created super admin ${admin.email}. Sign in, then create stores and add people in the app.`);
} catch (err) {
  if (!(err instanceof FirstAdminError)) throw err;
  console.error(err.message);
  process.exitCode = 3;
} finally {
  await db.$disconnect();
}
