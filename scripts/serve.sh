#!/usr/bin/env bash
# The development server with its background worker: each job (a large render, issuing) runs
# in a fresh `db_worker --max-tasks 1` process, restarted as soon as it exits.
# Usage: scripts/serve.sh PYTHON [ADDRESS]
set -u
python=${1:?python}
address=${2:-127.0.0.1:8000}
(
  while true; do
    "$python" manage.py db_worker --max-tasks 1 --no-reload --no-startup-delay -v 0 || sleep 2
  done
) &
worker=$!
trap 'kill "$worker" 2>/dev/null; pkill -P "$worker" 2>/dev/null' EXIT INT TERM
"$python" manage.py runserver "$address"
