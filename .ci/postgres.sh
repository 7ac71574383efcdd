#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the store tests and export its URL.
#
# Source it (`. .ci/postgres.sh`) to get NETNO_TEST_POSTGRES_URL in the calling
# shell, or run it to only print the URL. It installs Debian's `postgresql` when no
# /usr/lib/postgresql/*/bin/initdb exists, initialises a cluster in a temporary
# directory, starts it on 127.0.0.1 on a free port with a random password, and
# creates the database `netno_test`. Stop the server with `netno_postgres_stop`
# (defined when sourced) or `pg_ctl -D "$NETNO_TEST_POSTGRES_DIR/data" stop`.
#
# The script sets no shell options, so sourcing it leaves `set -e` and traps of the
# caller as they were; every step checks its own exit status instead.

_netno_pg_fail() {
    echo "postgres.sh: $*" >&2
    return 1
}

_netno_pg_find_bin() {
    local initdb
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$initdb" ]; then
        dirname "$initdb"
    fi
}

_netno_pg_start() {
    local bindir
    bindir=$(_netno_pg_find_bin)
    if [ -z "$bindir" ]; then
        if [ "$(id -u)" != 0 ]; then
            _netno_pg_fail "PostgreSQL is not installed and installing it needs root" || return 1
        fi
        echo "postgres.sh: installing PostgreSQL from Debian" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 || _netno_pg_fail "apt-get update failed" || return 1
        apt-get install -y -qq postgresql >&2 \
            || _netno_pg_fail "apt-get install postgresql failed" || return 1
        bindir=$(_netno_pg_find_bin)
        [ -n "$bindir" ] || _netno_pg_fail "initdb not found after installing" || return 1
    fi

    # initdb and postgres refuse to run as root, so root runs them as `postgres`.
    local run_as=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || _netno_pg_fail "user postgres is missing" || return 1
        run_as=(runuser -u postgres --)
    fi

    local base port password
    base=$(mktemp -d /tmp/netno-pg.XXXXXX) || return 1
    chmod 700 "$base"
    [ "${#run_as[@]}" -eq 0 ] || chown postgres: "$base"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
        || _netno_pg_fail "no free port found" || return 1
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))') || return 1

    printf '%s\n' "$password" >"$base/pwfile"
    [ "${#run_as[@]}" -eq 0 ] || chown postgres: "$base/pwfile"
    "${run_as[@]}" "$bindir/initdb" -D "$base/data" -U postgres --pwfile="$base/pwfile" \
        --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
        || _netno_pg_fail "initdb failed, see $base/initdb.log" || return 1
    rm -f "$base/pwfile"

    # The socket goes into the temporary directory because /var/run/postgresql may
    # be missing or owned by another cluster.
    "${run_as[@]}" "$bindir/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $base -c fsync=off" start >&2 \
        || _netno_pg_fail "server did not start, see $base/server.log" || return 1

    PGPASSWORD=$password "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres netno_test \
        || _netno_pg_fail "createdb failed" || return 1

    export NETNO_TEST_POSTGRES_DIR=$base
    export NETNO_TEST_POSTGRES_URL="postgresql+psycopg://postgres:${password}@127.0.0.1:${port}/netno_test"
    eval "netno_postgres_stop() { ${run_as[*]} '$bindir/pg_ctl' -D '$base/data' -m fast stop; }"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (data: $base)" >&2
    echo "NETNO_TEST_POSTGRES_URL=$NETNO_TEST_POSTGRES_URL"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    _netno_pg_start || exit 1
else
    _netno_pg_start || return 1
fi
