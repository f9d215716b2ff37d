// A local OpenID Connect provider (npm `oidc-provider`, OpenID certified) for `make run` and
// the end-to-end tests, on 127.0.0.1 only. The platform logs in through it exactly as it does
// through a production provider. Demo accounts, one per role (any password):
//   deelnemer, trainer, trainer2, begeleider, redacteur, redacteur2, beheerder
// Each has the address <name>@demo.leerplatform.test, so mail lands in the local inbox.
// Any other user name logs in as a participant.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3200);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.OIDC_REDIRECT_URIS ?? "http://127.0.0.1:3000/auth/callback").split(",");
const clientId = process.env.OIDC_CLIENT_ID ?? "leerplatform";
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? "lokaal-geheim-alleen-voor-ontwikkeling";
// After logging out here (RP-initiated logout) the browser returns to the platform's home page.
const postLogoutUris = redirectUris.map((uri) => uri.replace(/\/auth\/callback$/, "/?uitgelogd"));

const accounts = {
  deelnemer: { name: "Demo Deelnemer", roles: [] },
  trainer: { name: "Demo Trainer", roles: ["trainer"] },
  trainer2: { name: "Demo Tweede Trainer", roles: ["trainer"] },
  begeleider: { name: "Demo Begeleider", roles: ["facilitator"] },
  begeleider2: { name: "Demo Tweede Begeleider", roles: ["facilitator"] },
  redacteur: { name: "Demo Redacteur", roles: ["editor"] },
  redacteur2: { name: "Demo Tweede Redacteur", roles: ["editor"] },
  beheerder: { name: "Demo Beheerder", roles: ["admin"] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutUris,
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], profile: ["name", "roles"], email: ["email", "email_verified"] },
  // Scope claims go into the ID token itself; the platform never calls userinfo.
  conformIdTokenClaims: false,
  async findAccount(_ctx, id) {
    const account = accounts[id] ?? { name: id, roles: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: account.name, roles: account.roles, email: `${id}@demo.leerplatform.test`, email_verified: true };
      },
    };
  },
  // The platform is a first-party client: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile email");
    grant.addOIDCClaims(["name", "roles", "email", "email_verified"]);
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    // Logging out of the platform ends this session too. The demo skips the provider's
    // confirmation when JavaScript runs; without it, one button confirms.
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Uitloggen</title></head>
<body>${form}<p>Ook uitloggen bij de lokale inlogdienst?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, uitloggen</button>
<script>
  const logoutForm = document.getElementById("op.logoutForm");
  logoutForm.insertAdjacentHTML("beforeend", '<input type="hidden" name="logout" value="yes">');
  logoutForm.submit();
</script></body></html>`;
      },
    },
  },
  // Short provider sessions, so after logging out of the platform one can log in as another
  // demo account.
  ttl: { Session: 20, Interaction: 600, Grant: 600, AccessToken: 300, IdToken: 300, AuthorizationCode: 60 },
  cookies: { keys: ["lokale-ontwikkelsleutel-niet-voor-productie"] },
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider: ${issuer} (client ${clientId})`);
});
