#!/usr/bin/env bash
# Makes sure a local PostgreSQL runs for the tests and prints a URL with the right to
# create databases (each test makes its own). Installs PostgreSQL from Debian if missing.
set -euo pipefail

ROLE=portal_test
PASSWORD=portal_test
URL="postgres://$ROLE:$PASSWORD@127.0.0.1:5432/postgres"

as_postgres() { runuser -u postgres -- "$@"; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL (Debian packages)…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$version" main >&2
  fi
  echo "Starting PostgreSQL $version…" >&2
  pg_ctlcluster "$version" main start >&2
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
fi

as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SQL

# Databases left behind by earlier runs (a test that was killed does not clean up).
for db in $(as_postgres psql -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'portal_test_%'"); do
  as_postgres dropdb --if-exists --force "$db" >&2 || true
done

echo "$URL"
