#!/usr/bin/env bash
# Makes PostgreSQL and Redis answer at the addresses the test suite uses, on a
# Debian CI machine (.ci/run calls it before `make test`):
#
#   TEST_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/test
#   TEST_CACHE_URL     default redis://127.0.0.1:6379/15
#
# What does not answer is installed with apt-get (packages postgresql and
# redis-server) when missing, then started: the PostgreSQL cluster on the URL's
# port (created with pg_createcluster when there is none), Redis with its
# service or `redis-server --daemonize yes`. The URL's database is created and
# its role is let in:
#   - URL without a password (the default): pg_hba.conf gets `trust` lines for
#     that role from 127.0.0.1/32 and ::1/128 only, marked "hub-ci". Meant for
#     throwaway CI machines; on a workstation, prefer a URL with a password.
#   - URL with a password: the role gets that password (scram-sha-256, the
#     Debian default for TCP connections), pg_hba.conf is left alone.
#
# Idempotent: services that already answer are left alone, and a second run
# changes nothing. Anything it has to change needs root (or password-less sudo).
set -euo pipefail

TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
TEST_CACHE_URL="${TEST_CACHE_URL:-redis://127.0.0.1:6379/15}"
HBA_MARK="# hub-ci: test suite over TCP without a password (scripts/ci_services.sh)"

say() { echo "ci_services: $*"; }
die() { echo "ci_services: $*" >&2; exit 1; }

# The parts of both URLs, with the defaults libpq and redis-py would use.
eval "$(python3 - "$TEST_DATABASE_URL" "$TEST_CACHE_URL" <<'EOF'
import shlex, sys
from urllib.parse import unquote, urlsplit
pg, redis = urlsplit(sys.argv[1]), urlsplit(sys.argv[2])
values = {
    "PG_HOST": pg.hostname or "127.0.0.1", "PG_PORT": pg.port or 5432,
    "PG_USER": unquote(pg.username or "postgres"), "PG_PASSWORD": unquote(pg.password or ""),
    "PG_DB": unquote(pg.path.lstrip("/")) or "postgres",
    "REDIS_HOST": redis.hostname or "127.0.0.1", "REDIS_PORT": redis.port or 6379,
}
for name, value in values.items():
    print(f"{name}={shlex.quote(str(value))}")
EOF
)"

is_local() { case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac; }

pg_answers() {
    command -v psql >/dev/null || return 1
    PGCONNECT_TIMEOUT=3 psql "$TEST_DATABASE_URL" -Atqc "select 1" >/dev/null 2>&1
}

redis_answers() {
    command -v redis-cli >/dev/null || return 1
    [ "$(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

wait_for() { # wait_for SECONDS COMMAND...: true once COMMAND succeeds
    local seconds=$1; shift
    for _ in $(seq "$((seconds * 2))"); do "$@" && return 0; sleep 0.5; done
    return 1
}

as_postgres() { runuser -u postgres -- "$@"; }
sql() { as_postgres psql -p "$PG_PORT" -X -Atqc "$1"; }
sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

if pg_answers && redis_answers; then
    say "PostgreSQL answers at $TEST_DATABASE_URL, Redis at $REDIS_HOST:$REDIS_PORT"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    # A CI user with password-less sudo (GitHub's runners, for one) runs the rest as root.
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        exec sudo -n --preserve-env=TEST_DATABASE_URL,TEST_CACHE_URL "$0" "$@"
    fi
    die "PostgreSQL or Redis does not answer, and installing or starting them needs root."
fi
is_local "$PG_HOST" || pg_answers || die "PostgreSQL does not answer at $PG_HOST, which is not this machine."
is_local "$REDIS_HOST" || redis_answers || die "Redis does not answer at $REDIS_HOST, which is not this machine."

# --- Packages --------------------------------------------------------------

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing=()
installed postgresql || missing+=(postgresql)
installed redis-server || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- PostgreSQL ------------------------------------------------------------

if ! pg_answers; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    [ -n "$version" ] || die "no PostgreSQL server under /usr/lib/postgresql"
    # The cluster on the URL's port, of any version; else a new one.
    read -r cluster_version cluster status < <(
        pg_lsclusters -h | awk -v port="$PG_PORT" '$3 == port { print $1, $2, $4; exit }'
    ) || true
    if [ -z "${cluster:-}" ]; then
        cluster=main
        [ -d "/etc/postgresql/$version/$cluster" ] && cluster=ci
        say "creating PostgreSQL cluster $version/$cluster on port $PG_PORT"
        pg_createcluster --port "$PG_PORT" "$version" "$cluster" >/dev/null
        cluster_version=$version status=down
    fi
    if [ "$status" != online ]; then
        say "starting PostgreSQL $cluster_version/$cluster"
        pg_ctlcluster "$cluster_version" "$cluster" start
    fi
    wait_for 30 sql "select 1" >/dev/null || die "PostgreSQL $cluster_version/$cluster did not start"

    if [ "$(sql "select 1 from pg_roles where rolname = $(sql_literal "$PG_USER")")" != 1 ]; then
        say "creating role $PG_USER"
        as_postgres createuser -p "$PG_PORT" --superuser "$PG_USER"
    fi
    if [ -n "$PG_PASSWORD" ]; then
        # psql's \password would prompt; the literal stays out of the process list via stdin.
        echo "ALTER ROLE \"$PG_USER\" PASSWORD $(sql_literal "$PG_PASSWORD");" | as_postgres psql -p "$PG_PORT" -X -q
    else
        hba=$(sql "show hba_file")
        if ! grep -qF "$HBA_MARK" "$hba"; then
            say "letting $PG_USER in from 127.0.0.1 and ::1 without a password ($hba)"
            # First match wins in pg_hba.conf: the lines go before Debian's scram-sha-256 ones.
            { printf '%s\nhost all %s 127.0.0.1/32 trust\nhost all %s ::1/128 trust\n\n' \
                "$HBA_MARK" "$PG_USER" "$PG_USER"; cat "$hba"; } > "$hba.hub-ci"
            cat "$hba.hub-ci" > "$hba" && rm "$hba.hub-ci"
            sql "select pg_reload_conf()" >/dev/null
        fi
    fi
    if [ "$(sql "select 1 from pg_database where datname = $(sql_literal "$PG_DB")")" != 1 ]; then
        say "creating database $PG_DB"
        as_postgres createdb -p "$PG_PORT" -O "$PG_USER" "$PG_DB"
    fi
    wait_for 10 pg_answers || die "PostgreSQL runs, but $TEST_DATABASE_URL still does not answer"
fi
say "PostgreSQL answers at $TEST_DATABASE_URL"

# --- Redis -----------------------------------------------------------------

if ! redis_answers; then
    say "starting Redis on $REDIS_HOST:$REDIS_PORT"
    if [ "$REDIS_PORT" = 6379 ] && [ -x /etc/init.d/redis-server ]; then
        service redis-server start >/dev/null 2>&1 || true
        wait_for 5 redis_answers || true
    fi
    if ! redis_answers; then
        # No service manager (a container), or another port.
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
            --save "" --appendonly no --logfile /var/log/redis/redis-ci.log --dir /tmp >/dev/null
    fi
    wait_for 10 redis_answers || die "Redis did not start"
fi
say "Redis answers at $REDIS_HOST:$REDIS_PORT (TEST_CACHE_URL=$TEST_CACHE_URL)"
