#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: its own data directory and port on
# 127.0.0.1, started as a non-root user, removed afterwards. The command gets TEST_DATABASE_URL.
#   scripts/with-postgres.sh npm run test:db
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: no PostgreSQL server binaries in $PGBIN (set PGBIN)" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/qanat-pg.XXXXXX")
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
run=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  user=$(getent passwd postgres >/dev/null && echo postgres || echo nobody)
  chown "$user" "$dir"
  run=(runuser -u "$user" --)
fi
cleanup() {
  "${run[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${run[@]}" "$PGBIN/initdb" -D "$dir/data" -U qanat --auth=trust -E UTF8 --locale=C >/dev/null
"${run[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
export TEST_DATABASE_URL="postgresql://qanat@127.0.0.1:$port/postgres"
"$@"
