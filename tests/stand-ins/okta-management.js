// A stand-in for the part of the Okta Management API that `sso-setup provision --idp okta`
// uses, on 127.0.0.1, for tests: a real Okta org cannot be reached from CI. It follows the
// documented API and refuses what the documentation says Okta refuses; the pages:
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/
//     (create with ?activate=true, get, replace with the whole object, deactivate, delete;
//      only an inactive app can be deleted)
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGroups/
//     (assign a group: PUT /api/v1/apps/{appId}/groups/{groupId})
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSOCredentialOAuth2ClientAuth/
//     (client secrets: at most two, an active one cannot be deleted)
//   https://developer.okta.com/docs/guides/create-an-api-token/main/ (Authorization: SSWS <token>)
//   https://developer.okta.com/docs/reference/error-codes/ (errorCode, errorSummary, errorCauses)
//   https://developer.okta.com/docs/reference/rl-best-practices/ (429 with X-Rate-Limit-Reset)
// It also plays the org authorization server's discovery document and token endpoint
// (https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/), so a secret can be
// tried: a never-issued code gets invalid_grant when the client and secret are right. Its
// authorization endpoint signs a test user of an active app in at once (authorization-code.js),
// with the iss parameter its discovery document promises (RFC 9207), but only for a redirect
// URI that is exactly one of the app's redirect_uris ("it must match the value preregistered
// in Okta": https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/OrgAS/); any other
// gets a 400 page and no redirect.
// The admin's own sign-in: with settings.adminClient, a public client of the org authorization
// server signs the admin in for an OAuth access token to the Management API
// (https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/: Bearer, with the
// scopes granted), with the device authorization grant
// (https://developer.okta.com/docs/guides/device-authorization-grant/main/: /oauth2/v1/device/authorize,
// approved at /activate; pending codes get authorization_pending) or the code grant with PKCE
// back to one of its exact redirect URIs. The access token is a JWT whose scp the API checks
// (okta.apps.manage to change apps, okta.apps.read or manage to read them).
// Run as: node okta-management.js <port> <settings JSON>. Settings:
//   token: the API token to accept (SSWS); groups: group IDs that exist in the org;
//   adminClient: { client_id, redirect_uris } of the admin's public client;
//   throttle: { path, times } answers 429 first, with X-Rate-Limit-Reset one second ahead.
// GET /_stand-in/log returns the requests seen (method, path, body; never the token), and
// GET /_stand-in/secrets the client secrets the org holds.
import http from 'node:http';
import crypto from 'node:crypto';
import { clientCredentials } from './client-authentication.js';
import { authorize, redeem, signingKey } from './authorization-code.js';

const port = Number(process.argv[2]);
const settings = JSON.parse(process.argv[3] || '{}');
const origin = `http://127.0.0.1:${port}`;
const { jwk, sign } = signingKey();
const apps = new Map();
const log = [];
// Device codes of the admin's sign-in: device_code -> { userCode, scope, approved, expires }.
const deviceCodes = new Map();
// Access tokens issued to the admin: token -> granted scopes.
const adminTokens = new Map();

function adminAccessToken(scope) {
  const now = Math.floor(Date.now() / 1000);
  const scopes = (scope || '').split(' ').filter(Boolean);
  const token = sign({ ver: 1, jti: crypto.randomUUID(), iss: origin, aud: origin, iat: now, exp: now + 3600, cid: settings.adminClient.client_id, uid: '00u1stand1in2admin', scp: scopes, sub: 'admin@acme.example' });
  adminTokens.set(token, scopes);
  return { token_type: 'Bearer', access_token: token, expires_in: 3600, scope: scopes.join(' ') };
}

// The admin client's part of the org authorization server; returns true when it answered.
async function adminSignIn(request, response, route, url) {
  const admin = settings.adminClient;
  if (!admin) return false;
  if (route === '/oauth2/v1/device/authorize') {
    const form = new URLSearchParams(await readBody(request));
    if (form.get('client_id') !== admin.client_id) return send(response, 401, { error: 'invalid_client', error_description: 'Invalid value for \'client_id\' parameter.' }), true;
    const deviceCode = crypto.randomBytes(24).toString('base64url');
    const userCode = `${crypto.randomBytes(2).toString('hex').toUpperCase()}-${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
    deviceCodes.set(deviceCode, { userCode, scope: form.get('scope'), approved: false, expires: Date.now() + 600_000 });
    send(response, 200, { device_code: deviceCode, user_code: userCode, verification_uri: `${origin}/activate`, verification_uri_complete: `${origin}/activate?user_code=${userCode}`, expires_in: 600, interval: 1 });
    return true;
  }
  if (route === '/activate') {
    const held = [...deviceCodes.values()].find((code) => code.userCode === url.searchParams.get('user_code'));
    if (!held) return send(response, 400, { error: 'invalid user code' }), true;
    held.approved = true;
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Device activated');
    return true;
  }
  return false;
}
let throttled = 0;

const APP_PROPERTIES = new Set(['name', 'label', 'signOnMode', 'credentials', 'settings', 'visibility', 'accessibility', 'profile', 'status', 'id', 'created', 'lastUpdated', '_links', '_embedded', 'features']);
const OAUTH_SETTINGS = new Set(['client_uri', 'logo_uri', 'redirect_uris', 'post_logout_redirect_uris', 'response_types', 'grant_types', 'application_type', 'consent_method', 'initiate_login_uri', 'login_mode', 'login_scopes', 'issuer_mode', 'wildcard_redirect', 'idp_initiated_login', 'tos_uri', 'policy_uri']);
const OAUTH_CREDENTIALS = new Set(['token_endpoint_auth_method', 'autoKeyRotation', 'client_id', 'client_secret', 'pkce_required']);
const AUTH_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']);
const GRANTS = new Set(['authorization_code', 'implicit', 'refresh_token', 'client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:device_code']);

function send(response, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
  response.end(text);
}

function oktaError(response, status, code, summary, causes = [], headers = {}) {
  send(response, status, {
    errorCode: code, errorSummary: summary, errorLink: code, errorId: `oae${crypto.randomBytes(8).toString('hex')}`,
    errorCauses: causes.map((cause) => ({ errorSummary: cause })),
  }, headers);
}

function invalid(response, cause) {
  oktaError(response, 400, 'E0000001', `Api validation failed: ${cause.split(':')[0]}`, [cause]);
}

function notFound(response, what) {
  oktaError(response, 404, 'E0000007', `Not found: Resource not found: ${what}`);
}

function absoluteUri(uri) {
  try {
    const url = new URL(uri);
    return !url.hash && (url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname)));
  } catch {
    return false;
  }
}

// Checks an app body (create or replace); returns a cause or null.
function checkApp(body) {
  for (const key of Object.keys(body)) if (!APP_PROPERTIES.has(key)) return `${key}: Property is not recognized`;
  if (body.signOnMode !== 'OPENID_CONNECT') return 'signOnMode: OPENID_CONNECT is required for an OIDC app';
  if (body.name !== 'oidc_client') return 'name: must be oidc_client for an OIDC app';
  if (typeof body.label !== 'string' || !body.label) return 'label: The field cannot be left blank';
  const oauth = body.settings?.oauthClient;
  if (!oauth) return 'settings.oauthClient: The field cannot be left blank';
  for (const key of Object.keys(oauth)) if (!OAUTH_SETTINGS.has(key)) return `settings.oauthClient.${key}: Property is not recognized`;
  for (const key of Object.keys(body.settings)) if (!['oauthClient', 'implicitAssignment', 'app', 'notifications', 'manualProvisioning', 'notes', 'inlineHookId'].includes(key)) return `settings.${key}: Property is not recognized`;
  if (oauth.application_type !== 'web') return 'settings.oauthClient.application_type: web is expected here';
  if (!Array.isArray(oauth.redirect_uris) || oauth.redirect_uris.length === 0) return 'redirect_uris: A redirect URI is required for a web application';
  for (const uri of [...oauth.redirect_uris, ...(oauth.post_logout_redirect_uris || [])]) if (!absoluteUri(uri)) return `redirect_uris: '${uri}' must be an absolute URI`;
  if (oauth.initiate_login_uri !== undefined && !/^https:\/\//.test(oauth.initiate_login_uri)) return 'initiate_login_uri: must be an absolute https URI';
  if (!Array.isArray(oauth.grant_types) || oauth.grant_types.some((grant) => !GRANTS.has(grant))) return 'grant_types: contains an unknown grant type';
  if (!oauth.grant_types.includes('authorization_code')) return 'grant_types: authorization_code is required for a web application';
  if (oauth.response_types && oauth.response_types.some((type) => !['code', 'token', 'id_token'].includes(type))) return 'response_types: contains an unknown response type';
  const credentials = body.credentials?.oauthClient || {};
  for (const key of Object.keys(credentials)) if (!OAUTH_CREDENTIALS.has(key)) return `credentials.oauthClient.${key}: Property is not recognized`;
  if (credentials.token_endpoint_auth_method && !AUTH_METHODS.has(credentials.token_endpoint_auth_method)) return 'token_endpoint_auth_method: is not supported';
  if (typeof body.settings.implicitAssignment !== 'undefined' && typeof body.settings.implicitAssignment !== 'boolean') return 'settings.implicitAssignment: must be a boolean';
  return null;
}

function newSecret() {
  return { id: `ocs${crypto.randomBytes(8).toString('hex')}`, status: 'ACTIVE', client_secret: crypto.randomBytes(30).toString('base64url'), secret_hash: crypto.randomBytes(16).toString('base64url'), created: new Date().toISOString(), lastUpdated: new Date().toISOString() };
}

// The app as GET returns it: no client secret (secrets are read through the secrets API).
function publicApp(app) {
  const { secrets, groups, ...rest } = app;
  const { client_secret, ...credentials } = rest.credentials.oauthClient;
  return { ...rest, credentials: { ...rest.credentials, oauthClient: credentials } };
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function authorizationServer(request, response, route) {
  const issuer = origin;
  if (route === '/.well-known/openid-configuration') {
    return send(response, 200, {
      issuer,
      authorization_endpoint: `${origin}/oauth2/v1/authorize`,
      token_endpoint: `${origin}/oauth2/v1/token`,
      device_authorization_endpoint: `${origin}/oauth2/v1/device/authorize`,
      userinfo_endpoint: `${origin}/oauth2/v1/userinfo`,
      jwks_uri: `${origin}/oauth2/v1/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
      grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:device_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
      claims_supported: ['iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'nickname', 'preferred_username', 'given_name', 'middle_name', 'family_name', 'email', 'email_verified', 'profile', 'zoneinfo', 'locale', 'address', 'phone_number', 'picture', 'website', 'gender', 'birthdate', 'updated_at', 'at_hash', 'c_hash'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  }
  if (route === '/oauth2/v1/keys') return send(response, 200, { keys: [jwk] });
  if (route === '/oauth2/v1/authorize') {
    const url = new URL(request.url, origin);
    const client = settings.adminClient?.client_id === url.searchParams.get('client_id')
      ? settings.adminClient
      : [...apps.values()].find((candidate) => candidate.status === 'ACTIVE' && candidate.credentials.oauthClient.client_id === url.searchParams.get('client_id'));
    return authorize(url, response, {
      client,
      registered: (uri) => (client.settings ? client.settings.oauthClient.redirect_uris : client.redirect_uris).includes(uri),
      refuse: (message) => {
        response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(`400 Bad Request: ${message}`);
      },
      claims: () => ({
        ver: 1, sub: '00u1stand1in2user3', name: 'Ada Lovelace', preferred_username: 'ada@acme.example',
        email: 'ada@acme.example', email_verified: true, given_name: 'Ada', family_name: 'Lovelace',
        idp: '00o1stand1in2org3', amr: ['pwd'], auth_time: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(),
      }),
      issuerParameter: issuer,
    });
  }
  const form = new URLSearchParams(await readBody(request));
  const { clientId, secret } = clientCredentials(request, form);
  // The admin's public client: no secret, a device code or a code with its PKCE verifier.
  if (settings.adminClient && clientId === settings.adminClient.client_id && !secret) {
    if (form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:device_code') {
      const held = deviceCodes.get(form.get('device_code'));
      if (!held || held.expires < Date.now()) return send(response, 400, { error: 'expired_token', error_description: 'The device code has expired.' });
      if (!held.approved) return send(response, 400, { error: 'authorization_pending', error_description: 'The device authorization is pending. Please try again later.' });
      deviceCodes.delete(form.get('device_code'));
      return send(response, 200, adminAccessToken(held.scope));
    }
    const redeemed = redeem(form, clientId, { issuer, sign });
    if (!redeemed) return send(response, 400, { error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' });
    if (redeemed.status !== 200) return send(response, redeemed.status, redeemed.body);
    return send(response, 200, { ...adminAccessToken(redeemed.scope), id_token: redeemed.body.id_token });
  }
  const app = [...apps.values()].find((candidate) => candidate.credentials.oauthClient.client_id === clientId);
  const valid = app && app.status === 'ACTIVE' && app.secrets.some((held) => held.status === 'ACTIVE' && held.client_secret === secret);
  if (!valid) return send(response, 401, { error: 'invalid_client', error_description: 'The client secret supplied for a confidential client is invalid.' });
  const redeemed = redeem(form, clientId, { issuer, sign });
  if (redeemed) return send(response, redeemed.status, redeemed.body);
  return send(response, 400, { error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' });
}

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url, origin);
  if (url.pathname === '/_stand-in/log') return send(response, 200, log);
  if (url.pathname === '/_stand-in/secrets') return send(response, 200, [...apps.values()].flatMap((app) => app.secrets.filter((held) => held.status === 'ACTIVE').map((held) => held.client_secret)));
  if (['/oauth2/v1/device/authorize', '/activate'].includes(url.pathname) && await adminSignIn(request, response, url.pathname, url)) return;
  if (['/.well-known/openid-configuration', '/oauth2/v1/keys', '/oauth2/v1/token', '/oauth2/v1/authorize'].includes(url.pathname)) return authorizationServer(request, response, url.pathname);
  const text = await readBody(request);
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    return oktaError(response, 400, 'E0000003', 'The request body was not well-formed.');
  }
  log.push({ method: request.method, path: url.pathname + url.search, body: body ?? null });
  const bearer = (request.headers.authorization || '').match(/^Bearer (.+)$/);
  const granted = bearer ? adminTokens.get(bearer[1]) : undefined;
  if (request.headers.authorization !== `SSWS ${settings.token}` && !granted) {
    return oktaError(response, 401, 'E0000011', 'Invalid token provided');
  }
  // An OAuth access token carries only the scopes granted to it.
  if (granted && !(granted.includes('okta.apps.manage') || (request.method === 'GET' && granted.includes('okta.apps.read')))) {
    return oktaError(response, 403, 'E0000006', 'You do not have permission to perform the requested action');
  }
  if (settings.throttle && url.pathname.includes(settings.throttle.path) && throttled < settings.throttle.times) {
    throttled += 1;
    return oktaError(response, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 1) });
  }
  const path = url.pathname.split('/').filter(Boolean);
  if (path[0] !== 'api' || path[1] !== 'v1' || path[2] !== 'apps') return notFound(response, url.pathname);
  const rest = path.slice(3);

  if (rest.length === 0 && request.method === 'POST') {
    const problem = checkApp(body || {});
    if (problem) return invalid(response, problem);
    const id = `0oa${crypto.randomBytes(8).toString('hex')}`;
    const secret = newSecret();
    const app = {
      id, name: body.name, label: body.label, status: url.searchParams.get('activate') === 'false' ? 'INACTIVE' : 'ACTIVE',
      signOnMode: 'OPENID_CONNECT', created: new Date().toISOString(), lastUpdated: new Date().toISOString(),
      credentials: { oauthClient: { autoKeyRotation: true, client_id: id, token_endpoint_auth_method: 'client_secret_basic', ...(body.credentials?.oauthClient || {}), client_secret: secret.client_secret } },
      settings: { implicitAssignment: false, ...body.settings, oauthClient: { response_types: ['code'], consent_method: 'TRUSTED', issuer_mode: 'DYNAMIC', ...body.settings.oauthClient } },
      _links: { self: { href: `${origin}/api/v1/apps/${id}` } },
      secrets: [secret], groups: [],
    };
    apps.set(id, app);
    // The create answer is the one place the first secret is returned.
    const answer = publicApp(app);
    answer.credentials.oauthClient.client_secret = secret.client_secret;
    return send(response, 200, answer);
  }
  const app = apps.get(rest[0]);
  if (!app) return notFound(response, `${rest[0]} (App)`);
  if (rest.length === 1 && request.method === 'GET') return send(response, 200, publicApp(app));
  if (rest.length === 1 && request.method === 'PUT') {
    const problem = checkApp(body || {});
    if (problem) return invalid(response, problem);
    // A replace: what is left out is reset, so the caller sends the whole object it read.
    app.label = body.label;
    app.settings = { implicitAssignment: false, ...body.settings, oauthClient: { response_types: ['code'], consent_method: 'TRUSTED', issuer_mode: 'DYNAMIC', ...body.settings.oauthClient } };
    const { client_secret, ...credentials } = body.credentials?.oauthClient || {};
    app.credentials.oauthClient = { ...app.credentials.oauthClient, ...credentials, client_id: app.id };
    app.lastUpdated = new Date().toISOString();
    return send(response, 200, publicApp(app));
  }
  if (rest.length === 1 && request.method === 'DELETE') {
    // The error an active app gets, as the Apps API reference's "Delete application" example
    // shows it (https://developer.okta.com/docs/reference/api/apps/#delete-application) and the
    // error-code list names it (https://developer.okta.com/docs/reference/error-codes/#E0000056).
    if (app.status === 'ACTIVE') return oktaError(response, 403, 'E0000056', 'Delete application forbidden.', ['The application must be deactivated before deletion.']);
    apps.delete(app.id);
    return send(response, 204);
  }
  if (rest.length === 3 && rest[1] === 'lifecycle' && request.method === 'POST') {
    if (rest[2] === 'deactivate') app.status = 'INACTIVE';
    else if (rest[2] === 'activate') app.status = 'ACTIVE';
    else return notFound(response, url.pathname);
    return send(response, 200, {});
  }
  if (rest.length === 3 && rest[1] === 'groups' && request.method === 'PUT') {
    if (!(settings.groups || []).includes(rest[2])) return notFound(response, `${rest[2]} (UserGroup)`);
    if (!app.groups.includes(rest[2])) app.groups.push(rest[2]);
    return send(response, 200, { id: rest[2], priority: 0, profile: {}, lastUpdated: new Date().toISOString() });
  }
  if (rest.length === 2 && rest[1] === 'groups' && request.method === 'GET') {
    return send(response, 200, app.groups.map((id) => ({ id, priority: 0, profile: {} })));
  }
  if (rest[1] === 'credentials' && rest[2] === 'secrets') {
    if (rest.length === 3 && request.method === 'POST') {
      if (app.secrets.length >= 2) return invalid(response, 'client_secret: You can\'t have more than two client secrets.');
      const secret = newSecret();
      app.secrets.push(secret);
      return send(response, 201, secret);
    }
    if (rest.length === 3 && request.method === 'GET') return send(response, 200, app.secrets.map(({ client_secret, ...held }) => held));
    const held = app.secrets.find((candidate) => candidate.id === rest[3]);
    if (!held) return notFound(response, `${rest[3]} (Secret)`);
    if (rest.length === 6 && rest[4] === 'lifecycle' && rest[5] === 'deactivate' && request.method === 'POST') {
      if (app.secrets.filter((candidate) => candidate.status === 'ACTIVE').length === 1 && held.status === 'ACTIVE') return invalid(response, 'client_secret: You can\'t deactivate the only active secret.');
      held.status = 'INACTIVE';
      const { client_secret, ...shown } = held;
      return send(response, 200, shown);
    }
    if (rest.length === 4 && request.method === 'DELETE') {
      if (held.status === 'ACTIVE') return invalid(response, 'client_secret: You can\'t delete an active secret. Deactivate it first.');
      app.secrets = app.secrets.filter((candidate) => candidate !== held);
      return send(response, 204);
    }
  }
  return notFound(response, url.pathname);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ready ${origin}`);
});
