// The certified `oidc-provider` package as a test OpenID provider on 127.0.0.1.
// Started by tests/flow_test_against_oidc_provider.rs with: node server.js <port> <config JSON>
// Sign-in is headless: the interaction route signs in the account named by login_hint (or
// "ada") and grants what was asked, so an HTTP client that follows redirects reaches the
// app's loopback callback. A login_hint of "blocked" gets access_denied instead.
// With settings.registration, clients register themselves (OpenID Connect Dynamic Client
// Registration 1.0 / RFC 7591) with the initial access token settings.registration.initialAccessToken,
// and manage themselves (RFC 7592) with a registration access token that rotates on every update
// (https://github.com/panva/node-oidc-provider/tree/main/docs#featuresregistration and
// #featuresregistrationmanagement). The device authorization grant (RFC 8628) is on for the
// public client admin-device-client; its confirm page is the package's own form. The public
// client admin-browser-client signs the admin in with the code grant and PKCE instead.
import Provider, { errors } from 'oidc-provider';
import crypto from 'node:crypto';

const port = Number(process.argv[2]);
const settings = JSON.parse(process.argv[3] || '{}');
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', use: 'sig', alg: 'RS256' };

const accounts = {
  ada: { sub: 'user-ada', email: 'ada@example.com', email_verified: true, given_name: 'Ada', family_name: 'Lovelace' },
};

const configuration = {
  clients: [
    {
      client_id: 'client-basic',
      client_secret: settings.secret,
      redirect_uris: ['http://127.0.0.1/callback'],
      application_type: 'native',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    {
      client_id: 'client-post',
      client_secret: settings.secret,
      redirect_uris: ['http://127.0.0.1/callback'],
      application_type: 'native',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    // A public client for the admin's own sign-in in the browser: authorization code + PKCE
    // back to the loopback listener; a native client's loopback redirect URI matches on any
    // port (RFC 8252 §7.3).
    {
      client_id: 'admin-browser-client',
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
    },
    // A public client for the admin's own sign-in with a device code (RFC 8628).
    {
      client_id: 'admin-device-client',
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // https://github.com/panva/node-oidc-provider/tree/main/docs#featuresdeviceflow
    deviceFlow: { enabled: true },
    ...(settings.registration ? {
      registration: { enabled: true, initialAccessToken: settings.registration.initialAccessToken },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
    } : {}),
  },
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
  findAccount: (ctx, id) => {
    const account = accounts[id] || accounts.ada;
    return { accountId: id, claims: () => account };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match || ctx.method !== 'GET') return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const hint = details.params.login_hint;
  if (hint === 'blocked') {
    return provider.interactionFinished(ctx.req, ctx.res, { error: 'access_denied', error_description: 'User is not assigned to the client application.' }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'login') {
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: 'ada' } }, { mergeWithLastSubmission: false });
  }
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
  if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
void errors;
