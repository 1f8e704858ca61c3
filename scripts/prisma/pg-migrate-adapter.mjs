// A PrismaPg driver-adapter factory adjusted for the WebAssembly schema engine (PrismaClient does not need it).
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";

// pg catalog types that adapter-pg cannot map; the schema engine's introspection queries return them.
// Their values arrive as text, so we relabel them as text / text[].
const AS_TEXT = new Set([
  18 /* "char" */, 19 /* name */, 22 /* int2vector */, 24 /* regproc */, 30 /* oidvector */,
  194 /* pg_node_tree */, 1033 /* aclitem */, 2205 /* regclass */,
]);
const AS_TEXT_ARRAY = new Set([1002 /* "char"[] */, 1003 /* name[] */]);
const TEXT = 25;
const TEXT_ARRAY = 1009;

function relabelCatalogTypes(queryable) {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT;
      else if (AS_TEXT_ARRAY.has(field.dataTypeID)) field.dataTypeID = TEXT_ARRAY;
    }
    return result;
  };
  return queryable;
}

function connectionParts(connectionString) {
  const u = new URL(connectionString);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  };
}

export class PgMigrateAdapter extends PrismaPg {
  #config;
  constructor(config) {
    super(config);
    this.#config = config;
  }

  async connect() {
    const adapter = relabelCatalogTypes(await super.connect());
    // adapter-pg splits scripts on ';', which breaks $$ bodies and string literals: send the script whole.
    adapter.executeScript = async (script) => {
      try {
        await adapter.client.query(script);
      } catch (error) {
        adapter.onError(error);
      }
    };
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => relabelCatalogTypes(await startTransaction(...args));
    return adapter;
  }

  // adapter-pg drops the shadow database before closing its pool ("being accessed by other users"):
  // close the shadow pool first, then drop it.
  async connectToShadowDb() {
    const admin = await super.connect();
    const database = `prisma_shadow_${randomUUID().replace(/-/g, "")}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const { connectionString, ...rest } = this.#config;
    const parts = connectionString ? connectionParts(connectionString) : {};
    const shadow = await new PgMigrateAdapter({ ...rest, ...parts, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.dispose();
    };
    return shadow;
  }
}
