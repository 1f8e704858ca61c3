#!/usr/bin/env bash
# One command runs the product: installs what it needs, finds or starts PostgreSQL + Redis, migrates, seeds the
# demo store (once), builds the web app, then runs web + worker + a camera agent on the demo camera.
# Ctrl-C stops everything. Uses DATABASE_URL / REDIS_URL when set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
say() { printf '\033[1;32m[start]\033[0m %s\n' "$*" >&2; }

if [[ ! -d node_modules/.bin || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
. scripts/services.sh
# Survey links and sign-in sessions are signed: one secret each per installation, generated once and kept in
# .data/ (git-ignored). Set SURVEY_SECRET / AUTH_SECRET yourself to manage them elsewhere.
for name in SURVEY_SECRET AUTH_SECRET; do
  if [[ -z "${!name:-}" ]]; then
    file=".data/$(echo "$name" | tr 'A-Z_' 'a-z-')"
    mkdir -p .data
    [[ -s "$file" ]] || node -e 'process.stdout.write(require("crypto").randomBytes(48).toString("base64url"))' >"$file"
    export "$name=$(cat "$file")"
  fi
done
say "generating the Prisma client and migrating"
npm run -s db:generate >/dev/null
npm run -s db:migrate:deploy
if [[ "$(node scripts/demo-exists.mjs)" != "yes" ]]; then
  say "seeding the demo store"
  npm run -s db:seed
fi
npm run -s seed:demo-users -w @shelf/web # idempotent: one demo user per role (README)
if [[ ! -f apps/web/.next/BUILD_ID || -n "$(find apps/web/src packages -newer apps/web/.next/BUILD_ID -name '*.ts*' -print -quit)" ]]; then
  say "building the web app"
  npm run -s build -w @shelf/web
fi

pids=()
cleanup() { say "stopping"; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
npm run -s start -w @shelf/worker & pids+=($!)
npm run -s start -w @shelf/camera-agent & pids+=($!)
PORT="${PORT:-3000}" npm run -s start -w @shelf/web & pids+=($!)
say "web: http://localhost:${PORT:-3000}   agent health: http://localhost:${AGENT_PORT:-9464}/healthz"
wait -n "${pids[@]}"
