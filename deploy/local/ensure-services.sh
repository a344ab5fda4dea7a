#!/usr/bin/env bash
# Make sure the broker and the database the services need are running on this machine
# (Debian packages; installed if missing), and that the SMS gateway the tests put in front of
# them is installed (Kannel: bearerbox and smsbox, and fakesmsc from kannel-extras; the tests
# start their own, nothing is started here). Safe to run again.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_install=()
command -v rabbitmq-server >/dev/null || need_install+=(rabbitmq-server)
command -v pg_ctlcluster >/dev/null || need_install+=(postgresql)
command -v promtool >/dev/null || need_install+=(prometheus)  # promtool checks deploy/prometheus
[ -x /usr/sbin/bearerbox ] && [ -x /usr/sbin/smsbox ] || need_install+=(kannel)
[ -x /usr/lib/kannel/test/fakesmsc ] || need_install+=(kannel-extras)  # the tests' fake phone
if [ ${#need_install[@]} -gt 0 ]; then
  as_root apt-get update -qq
  # install only: no package may start a server of its own (Prometheus would, on :9090;
  # Kannel's bearerbox on :13000)
  own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${need_install[@]}" || status=$?
  [ -z "$own_policy" ] || as_root rm -f /usr/sbin/policy-rc.d
  [ "$status" = 0 ] || exit "$status"
  # nor at the next boot: the tests run their own Kannel, on ports of their own
  if [[ " ${need_install[*]} " == *" kannel "* ]]; then
    as_root update-rc.d kannel disable >/dev/null 2>&1 || true
  fi
fi

# RabbitMQ, with the management plugin (nameko's test fixtures create a vhost per test through it)
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  as_root rabbitmq-server -detached
fi
as_root rabbitmq-plugins -q enable rabbitmq_management >/dev/null
as_root rabbitmqctl -q await_startup >/dev/null

# the administrator `satupintu broker-users` (run by `make run`) sets the services' users with;
# its password is generated once into var/keys/broker-admin (mode 0600)
keys=${KEYS_DIR:-var/keys}
mkdir -p "$keys"
if [ ! -s "$keys/broker-admin" ]; then
  (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > "$keys/broker-admin")
fi
admin_password=$(tr -d '\n' < "$keys/broker-admin")
if ! as_root rabbitmqctl -q authenticate_user satupintu_admin "$admin_password" >/dev/null 2>&1; then
  as_root rabbitmqctl -q add_user satupintu_admin "$admin_password" >/dev/null 2>&1 \
    || as_root rabbitmqctl -q change_password satupintu_admin "$admin_password" >/dev/null
  as_root rabbitmqctl -q set_user_tags satupintu_admin administrator >/dev/null
  as_root rabbitmqctl -q set_permissions -p / satupintu_admin '.*' '.*' '.*' >/dev/null
fi
for _ in $(seq 1 60); do
  if curl -sf -u "satupintu_admin:$admin_password" http://127.0.0.1:15672/api/overview >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -sf -u "satupintu_admin:$admin_password" http://127.0.0.1:15672/api/overview >/dev/null \
  || { echo "RabbitMQ management API is not answering on :15672" >&2; exit 1; }

# PostgreSQL (optional for running, used by the tests that need several processes on one DB)
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not answering on :5432" >&2; exit 1; }
echo "RabbitMQ and PostgreSQL are running; promtool and Kannel are installed"
