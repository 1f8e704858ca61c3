#!/usr/bin/env bash
# Runs the product, in one of two modes (README, "Run it" and "Security"):
#
#   npm start                      DEMO: finds or starts PostgreSQL + Redis on this machine, migrates, seeds the
#                                  demo chain (once) and the demo accounts (public passwords), builds the web app, runs
#                                  web + worker + a camera agent on the demo camera. The web app listens on
#                                  127.0.0.1 only (HOST=0.0.0.0 to show it on your network). Refuses a
#                                  DATABASE_URL you set unless you add --demo: demo accounts never land in a
#                                  database by accident.
#   npm start -- --production      PRODUCTION (or SHELF_MODE=production): needs DATABASE_URL and REDIS_URL, never
#                                  creates a demo account and refuses to start while one exists; migrates, builds
#                                  if needed, runs web + worker (camera agents run at the stores). The first admin
#                                  comes from `npm run admin:create`, once.
#
# Other flags: --no-build (serve the existing build and Prisma client as they are), --web-only (no worker, no
# agent).
# Secrets (SURVEY_SECRET, AUTH_SECRET) are generated once into the data folder (SHELF_DATA_DIR, default .data/,
# mode 0700, files 0600) unless you set them. Ctrl-C stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
say() { printf '\033[1;32m[start]\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31m[start]\033[0m %s\n' "$*" >&2; exit 1; }

mode="${SHELF_MODE:-demo}" demo_confirmed=0 build=1 web_only=0
for arg in "$@"; do
  case "$arg" in
    --production) mode=production ;;
    --demo) mode=demo demo_confirmed=1 ;;
    --no-build) build=0 ;;
    --web-only) web_only=1 ;;
    *) fail "unknown option $arg (see scripts/start.sh: --production, --demo, --no-build, --web-only)" ;;
  esac
done
[[ "$mode" == demo || "$mode" == production ]] || fail "SHELF_MODE must be demo or production, not \"$mode\""
export SHELF_MODE="$mode"
if [[ "$mode" == demo ]]; then
  say "DEMO mode: a demo chain (3 stores, 40 products, 10 weeks of generated history) and demo accounts with public passwords"
else
  say "PRODUCTION mode: no demo data, no demo accounts"
fi

if [[ "$mode" == production ]]; then
  [[ -n "${DATABASE_URL:-}" && -n "${REDIS_URL:-}" ]] ||
    fail "production needs DATABASE_URL and REDIS_URL: it never guesses where your data lives."
elif [[ -n "${DATABASE_URL:-}" && "$demo_confirmed" != 1 ]]; then
  fail "DATABASE_URL is set: the demo would create accounts with public passwords in it.
        Real install: npm start -- --production.  Demo in that database anyway: npm start -- --demo."
fi

if [[ ! -d node_modules/.bin || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# Secrets and the embedded database live here: the owner's alone (also fixes a folder made before that rule).
export SHELF_DATA_DIR="${SHELF_DATA_DIR:-$ROOT/.data}"
umask 077
mkdir -p "$SHELF_DATA_DIR"
chmod 700 "$SHELF_DATA_DIR"
. scripts/services.sh
# Survey links and sign-in sessions are signed: one secret each per installation, generated once. Set
# SURVEY_SECRET / AUTH_SECRET yourself to manage them elsewhere.
for name in SURVEY_SECRET AUTH_SECRET; do
  file="$SHELF_DATA_DIR/$(echo "$name" | tr 'A-Z_' 'a-z-')"
  [[ -e "$file" ]] && chmod 600 "$file"
  if [[ -z "${!name:-}" ]]; then
    [[ -s "$file" ]] || node -e 'process.stdout.write(require("crypto").randomBytes(48).toString("base64url"))' >"$file"
    export "$name=$(cat "$file")"
  fi
done
if [[ "$build" == 1 ]]; then
  say "generating the Prisma client"
  npm run -s db:generate >/dev/null
fi
say "migrating"
npm run -s db:migrate:deploy

if [[ "$mode" == demo ]]; then
  if [[ "$(node scripts/demo-exists.mjs)" != "yes" ]]; then
    say "seeding the demo chain (generated history; README, \"Demo data\")"
    npm run -s db:seed
  fi
  npm run -s seed:demo-users -w @shelf/web >/dev/null # creates the missing demo accounts, resets none
  export HOST="${HOST:-127.0.0.1}"
else
  if demo_accounts="$(npm run -s demo:check -w @shelf/web)"; then :; else
    [[ -n "$demo_accounts" ]] || fail "could not check the database for demo accounts (see above)."
    fail "refusing a production start: the database holds demo accounts whose passwords are public:
$demo_accounts
        Delete them (or use a fresh database), then start again."
  fi
  if [[ "$(node scripts/demo-exists.mjs admins)" != "yes" ]]; then
    say "no admin yet: create the first one with  npm run admin:create  (once; you choose the password)"
  fi
fi

dist="apps/web/${NEXT_DIST_DIR:-.next}"
if [[ "$build" == 1 ]]; then
  if [[ ! -f "$dist/BUILD_ID" || -n "$(find apps/web/src packages -newer "$dist/BUILD_ID" -name '*.ts*' -print -quit)" ]]; then
    say "building the web app"
    npm run -s build -w @shelf/web
  fi
elif [[ ! -f "$dist/BUILD_ID" ]]; then
  fail "--no-build, but there is no build in $dist (npm run build -w @shelf/web)."
fi

pids=()
cleanup() { say "stopping"; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
if [[ "$web_only" != 1 ]]; then
  npm run -s start -w @shelf/worker & pids+=($!)
  if [[ "$mode" == demo ]]; then npm run -s start -w @shelf/camera-agent & pids+=($!); fi
fi
PORT="${PORT:-3000}" npm run -s start -w @shelf/web & pids+=($!)
if [[ "$mode" == demo ]]; then
  printf '\033[1;33m%s\033[0m\n' \
    "━━ DEMO MODE ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━" \
    "   Demo accounts with PUBLIC passwords (README) can sign in, super admin included." \
    "   Never expose this to a network you do not trust. Real install: npm start -- --production" \
    "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━" >&2
fi
say "$mode mode  web: http://${HOST:-localhost}:${PORT:-3000}$([[ "$mode" == demo && "$web_only" != 1 ]] && echo "   agent health: http://localhost:${AGENT_PORT:-9464}/healthz")"
wait -n "${pids[@]}"
