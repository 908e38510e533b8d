#!/usr/bin/env bash
# The services the tests talk to, on loopback only: PostgreSQL on 127.0.0.1:5432 (trust for loopback
# connections, a database `test`) and Redis on 127.0.0.1:6379 (nothing kept on disk). A service that
# already answers is left alone; one that does not is installed from Debian's packages if missing
# (as root) and started. Idempotent: run it as often as you like. .ci/run calls it before the tests.
# PG_PORT, PG_CLUSTER and REDIS_PORT move them elsewhere (the script's own check runs it that way).
set -euo pipefail
PG_HOST=127.0.0.1 PG_PORT=${PG_PORT:-5432} PG_CLUSTER=${PG_CLUSTER:-main} REDIS_PORT=${REDIS_PORT:-6379}

need() {  # install the Debian packages named, if any is missing
  local missing="" p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "start_services: missing$missing — install them as root (apt-get install -y$missing)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086  # a list of package names
  apt-get install -y -qq --no-install-recommends $missing
}

pg_ok() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }

start_postgres() {
  need postgresql postgresql-client
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  [ -d "/etc/postgresql/$version/$PG_CLUSTER" ] || pg_createcluster --port "$PG_PORT" "$version" "$PG_CLUSTER" >/dev/null
  local conf="/etc/postgresql/$version/$PG_CLUSTER"
  # loopback connections without a password, ahead of the packaged rules (the first match wins)
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
    sed -i '1i local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf/pg_hba.conf"
  fi
  sed -i "s/^#\?listen_addresses.*/listen_addresses = 'localhost'/; s/^#\?port = .*/port = $PG_PORT/" "$conf/postgresql.conf"
  if pg_ctlcluster "$version" "$PG_CLUSTER" status >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$version" "$PG_CLUSTER" reload
  else
    pg_ctlcluster --skip-systemctl-redirect "$version" "$PG_CLUSTER" start
  fi
  for _ in $(seq 60); do pg_ok && return 0; sleep 0.5; done
  echo "start_services: PostgreSQL $version did not answer on $PG_HOST:$PG_PORT" >&2
  exit 1
}

if pg_ok; then echo "postgresql: answering on $PG_HOST:$PG_PORT"; else start_postgres; echo "postgresql: started on $PG_HOST:$PG_PORT"; fi
if [ "$(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc "select count(*) from pg_database where datname = 'test'")" = 0 ]; then
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc 'create database test'
  echo "postgresql: created database test"
fi

need redis-server redis-tools  # the fault tests start a redis-server of their own, even where one answers
redis_ok() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
if redis_ok; then
  echo "redis: answering on 127.0.0.1:$REDIS_PORT"
else
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile "/var/log/redis/ci-$REDIS_PORT.log" --pidfile "/var/run/redis-ci-$REDIS_PORT.pid"
  for _ in $(seq 40); do redis_ok && break; sleep 0.25; done
  redis_ok || { echo "start_services: Redis did not answer on 127.0.0.1:$REDIS_PORT" >&2; exit 1; }
  echo "redis: started on 127.0.0.1:$REDIS_PORT"
fi
