#!/bin/sh
# The postgres image runs this once, on an empty data directory (docker-compose.yml): each
# service gets its own login and its own database, which only it may connect to. Passwords are
# the files `satupintu secrets` made (/run/keys/db-<service>), never in this repository.
set -eu
for service in agency_registry routing intake notification reporting; do
  password=$(cat "/run/keys/db-$service")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$service" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
