#!/usr/bin/env bash
# Runs the given command with a mail server configured. When SMTP_URL is set, that server is
# used and nothing is started; otherwise a local SMTP sink with a web inbox (npm maildev)
# starts on 127.0.0.1 and stops when the command ends. Nothing it receives leaves the machine.
set -euo pipefail

if [[ -n "${SMTP_URL:-}" ]]; then
  exec "$@"
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
smtp_port="${MAILDEV_SMTP_PORT:-1025}"
web_port="${MAILDEV_WEB_PORT:-1080}"
export SMTP_URL="smtp://127.0.0.1:${smtp_port}"

"$here/../node_modules/.bin/maildev" --ip 127.0.0.1 --web-ip 127.0.0.1 \
  --smtp "$smtp_port" --web "$web_port" --silent &
maildev_pid=$!
trap 'kill "$maildev_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 50); do
  if node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" \
      "http://127.0.0.1:${web_port}/email"; then
    break
  fi
  sleep 0.2
done

echo "Mail the platform sends lands in the local inbox: http://127.0.0.1:${web_port}"
"$@"
