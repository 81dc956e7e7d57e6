# Sourced by .ci/run: install PostgreSQL from Debian's packages if needed,
# start a throwaway server on loopback, and export TEST_POSTGRES_URL so the
# records tests run against it as well as SQLite. Stopped on exit.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=${PGPORT:-55432}
PGROOT=$(mktemp -d /tmp/ci-postgres.XXXXXX)
chown postgres:postgres "$PGROOT"
su postgres -c "$PGBIN/initdb -D $PGROOT/data -U postgres --auth=trust -E UTF8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $PGROOT/data -l $PGROOT/server.log -o '-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1' -w start" >/dev/null
stop_postgres() {
  su postgres -c "$PGBIN/pg_ctl -D $PGROOT/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap stop_postgres EXIT
su postgres -c "$PGBIN/psql -q -h 127.0.0.1 -p $PGPORT -U postgres -c \"CREATE ROLE records LOGIN PASSWORD 'records'\" -c 'CREATE DATABASE records_test OWNER records'"
export TEST_POSTGRES_URL="postgresql://records:records@127.0.0.1:$PGPORT/records_test"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') for the records tests at 127.0.0.1:$PGPORT"
