// A real OpenID provider (the certified `oidc-provider` package) for integration tests.
//
// Started by tests/integration/oidc.py as `node provider.mjs CONFIG.json`; listens on
// 127.0.0.1 only and keeps everything in memory. CONFIG.json:
//   port            the loopback port to listen on
//   clients         oidc-provider client metadata (client_id, client_secret, grant_types,
//                   redirect_uris, response_types, token_endpoint_auth_method, ...);
//                   an extra "token_claims" object is added to that client's access
//                   tokens (and so to the introspection answer)
//   accounts        {login: {claim: value}}: the claims of a user who signs in with that
//                   name on the built-in login page (an unknown name gets only "sub")
//   claims          scope -> claim names (default: openid, email, profile, einvoice)
//   access_token_ttl  seconds an access token lives (client credentials and user tokens)
//   require_pkce    authorization code flow needs PKCE (S256) for every client (default true)
//   id_token_algs   ID token signing algorithms it offers (default RS256; e.g. ["RS256",
//                   "HS256"] with a client whose id_token_signed_response_alg is HS256)
// Writes one line "READY <issuer>" to stdout once it listens.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const ttl = Number(config.access_token_ttl ?? 600);

const tokenClaims = {};
const clients = (config.clients ?? []).map((client) => {
  const { token_claims: claims, ...metadata } = client;
  if (claims) tokenClaims[metadata.client_id] = claims;
  return metadata;
});
const accounts = config.accounts ?? {};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: config.claims ?? {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    einvoice: ['role', 'roles', 'department', 'departments'],
  },
  conformIdTokenClaims: false, // scope claims also in the ID token (simpler for relying parties)
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: true }, // built-in login page: any name signs in
  },
  pkce: { required: () => config.require_pkce ?? true },
  enabledJWA: { idTokenSigningAlgValues: config.id_token_algs ?? ['RS256'] },
  ttl: {
    AccessToken: ttl,
    ClientCredentials: ttl,
    IdToken: ttl,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(accounts[id] ?? {}) };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // consent is implied for the test clients: grant what the client asked for
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    grant.addOIDCClaims([...(ctx.oidc.requestParamClaims ?? [])]);
    await grant.save();
    return grant;
  },
  async extraTokenClaims(ctx, token) {
    return tokenClaims[token.clientId];
  },
});

provider.on('server_error', (ctx, err) => {
  console.error('server_error', err);
});

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});
