#!/usr/bin/env bash
# Runs the given command with login configured. When OIDC_ISSUER_URL is set, that provider is
# used and nothing is started; otherwise the local oidc-provider (provider.mjs) starts on
# 127.0.0.1 with demo accounts and stops when the command ends.
set -euo pipefail

if [[ -n "${OIDC_ISSUER_URL:-}" ]]; then
  exec "$@"
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${OIDC_PORT:-3200}"
site="${PUBLIC_URL:-http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}}"
export OIDC_PORT="$port"
export OIDC_REDIRECT_URIS="${site%/}/auth/callback"
export OIDC_CLIENT_ID="leerplatform"
export OIDC_CLIENT_SECRET="lokaal-geheim-alleen-voor-ontwikkeling"
export OIDC_ROLES_CLAIM="roles"
export OIDC_ISSUER_URL="http://127.0.0.1:${port}"

node "$here/provider.mjs" &
provider_pid=$!
trap 'kill "$provider_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 50); do
  if node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" \
      "${OIDC_ISSUER_URL}/.well-known/openid-configuration"; then
    break
  fi
  sleep 0.2
done

echo "Log in with a demo account (any password): deelnemer, trainer, begeleider, redacteur, redacteur2, beheerder"
"$@"
