#!/bin/sh
# First start of the PostgreSQL container (docker-entrypoint-initdb.d): one role and one
# database per service, each database reachable only by its own role (least privilege).
# Passwords come from the environment (YS_PG_PASSWORD_<SERVICE>, set in deploy/.env).
set -eu
for service in gateway approvals hotline complaints visits ratings; do
  variable="YS_PG_PASSWORD_$(echo "$service" | tr '[:lower:]' '[:upper:]')"
  password=$(printenv "$variable") || { echo "$variable is not set" >&2; exit 1; }
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set=role="ys_${service}" --set=password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
