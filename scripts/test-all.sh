#!/usr/bin/env bash
# Every test: static checks, unit tests, migrations on a fresh database + drift check, integration tests on
# the real PostgreSQL / Redis / ffmpeg / models, and browser tests in Debian's Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
say() { printf '\n\033[1;35m[test]\033[0m %s\n' "$*" >&2; }

. scripts/services.sh
# Tests never touch the database you run the product on: they use their own, made fresh here.
BASE_URL="${DATABASE_URL%/*}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$BASE_URL/shelf_test}"
node scripts/drop-database.mjs "$TEST_DATABASE_URL"

say "Prisma client"
npm run -s db:generate >/dev/null
say "migrations: deploy to a fresh database, then check for drift"
DATABASE_URL="$TEST_DATABASE_URL" npm run -s db:migrate:deploy
DATABASE_URL="$TEST_DATABASE_URL" npm run -s db:migrate:check

say "format, lint, typecheck"
npx prettier --check . >/dev/null || { npx prettier --check . | tail -20; exit 1; }
npx turbo run lint typecheck --output-logs=errors-only
node tooling/check-imports.mjs

REPORTS="$ROOT/test-results/reports"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
json() { echo "--reporter=default --reporter=json --outputFile=$REPORTS/$1.json"; }

say "unit tests"
for ws in packages/core packages/survey-engine packages/api packages/inference apps/worker apps/camera-agent apps/web; do
  say "unit tests: $ws"
  (cd "$ws" && npx vitest run --passWithNoTests $(json "unit-${ws//\//-}"))
done

say "training pipeline tests (Python, Debian's PyTorch)"
if /usr/bin/python3 -c 'import torch, onnx, PIL' 2>/dev/null; then
  (cd training && PYTHONPATH=. OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 -m tests.run "$REPORTS/training.json")
elif [ "${CI:-}" = true ]; then
  echo "PyTorch is missing: run 'npm run train:setup'" >&2
  exit 1
else
  say "skipped: PyTorch is not installed here ('npm run train:setup' installs it)"
fi

say "integration tests (real PostgreSQL, Redis, ffmpeg, models)"
DATABASE_URL="$TEST_DATABASE_URL" npx vitest run --config test/vitest.integration.config.ts $(json integration)

say "build the web app (security and browser tests run the production server)"
npm run -s build -w @shelf/web >/dev/null

say "security tests (attacks on the real web server, agent and Redis)"
DATABASE_URL="$TEST_DATABASE_URL" npx vitest run --config test/vitest.security.config.ts --passWithNoTests $(json security)

say "browser tests (Chromium)"
DATABASE_URL="$TEST_DATABASE_URL" npx vitest run --config test/vitest.e2e.config.ts $(json e2e)
say "all tests passed"
node scripts/test-summary.mjs "$REPORTS"/*.json
