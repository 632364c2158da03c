// A stand-in for the part of Microsoft Graph v1.0 that `sso-setup provision --idp entra` uses,
// on 127.0.0.1, for tests: the real Graph cannot be reached from CI, and a tenant cannot be
// made for each run. It follows the documented API and refuses what the documentation says
// Graph refuses; each route names its page:
//   https://learn.microsoft.com/graph/api/application-post-applications?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/resources/application?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/resources/webapplication?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/resources/optionalclaim?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/application-get?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/application-update?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/application-delete?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/application-addpassword?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/application-removepassword?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/api/serviceprincipal-update?view=graph-rest-1.0
//   https://learn.microsoft.com/graph/errors (the error body, 401, 403, 404, 429)
//   https://learn.microsoft.com/graph/throttling (429 with Retry-After)
// Run as: node microsoft-graph.js <port> <settings JSON>. Settings:
//   token: the access token to accept (Bearer);
//   permissions: the token's application permissions (scp/roles), e.g. Application.ReadWrite.All;
//   groups: group object IDs that exist in the tenant;
//   throttle: { path: "/applications", times: 1, retryAfter: 1 } answers 429 first;
//   maxSecretDays: an app management policy's cap on a password's lifetime;
//   failPath: a path fragment answered with 500 (to test what is removed after a failure);
//   failAfterApplying: { times: 1 } answers the first application PATCHes with 500 after
//     applying them (a change the caller cannot know was made).
// It also plays the tenant's sign-in endpoints that `check` and `rotate-secret` use (the v2.0
// discovery document, keys and token endpoint, under http://127.0.0.1:<port>/<tenant>/v2.0), so
// a secret Graph made can be tried at the token endpoint: a never-issued code gets invalid_grant
// when the client and secret are right, and AADSTS7000215 invalid_client otherwise. Its
// authorization endpoint signs a test user in at once (authorization-code.js), but only for a
// redirect URI in the app's web.redirectUris, where a loopback URI matches on any port as Entra
// matches it (https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions);
// any other gets Entra's AADSTS50011 page
// (https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50011-redirect-uri-mismatch).
// The ID token carries email, given_name and family_name only when the app's optionalClaims
// ask for them (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference)
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors,
// https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
// GET /_stand-in/log returns the requests seen (method, path, body; never the token), for the
// test to compare with the dry run's plan; GET /_stand-in/secrets the secrets made.
import http from 'node:http';
import crypto from 'node:crypto';
import { clientCredentials } from './client-authentication.js';
import { authorize, redeem, signingKey } from './authorization-code.js';

const port = Number(process.argv[2]);
const settings = JSON.parse(process.argv[3] || '{}');
const base = `http://127.0.0.1:${port}/v1.0`;
const origin = `http://127.0.0.1:${port}`;
const { jwk, sign } = signingKey();
const applications = new Map();
const servicePrincipals = new Map();
const assignments = [];
const log = [];
let throttled = 0;
let failedAfterApplying = 0;

// The application properties this stand-in knows (a subset of the resource's documented
// properties, enough for what sso-setup sends); any other property is refused as Graph does.
const APPLICATION_PROPERTIES = new Set([
  'displayName', 'signInAudience', 'web', 'optionalClaims', 'description', 'notes', 'tags',
  'identifierUris', 'requiredResourceAccess', 'spa', 'publicClient', 'api', 'info', 'groupMembershipClaims',
]);
const WEB_PROPERTIES = new Set(['redirectUris', 'logoutUrl', 'homePageUrl', 'implicitGrantSettings', 'redirectUriSettings']);
const OPTIONAL_CLAIM_PROPERTIES = new Set(['name', 'source', 'essential', 'additionalProperties']);
// ID-token optional claims of the v2.0 token
// (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference).
const ID_TOKEN_OPTIONAL_CLAIMS = new Set([
  'acct', 'auth_time', 'ctry', 'email', 'family_name', 'fwd', 'given_name', 'groups', 'idtyp',
  'login_hint', 'sid', 'tenant_ctry', 'tenant_region_scope', 'upn', 'verified_primary_email',
  'verified_secondary_email', 'vnet', 'xms_pdl', 'xms_pl', 'xms_tpl', 'ztdid', 'preferred_username',
]);
const SIGN_IN_AUDIENCES = new Set(['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']);

function send(response, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
  response.end(text);
}

function error(response, status, code, message, headers) {
  send(response, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID() } } }, headers);
}

function badRequest(response, message) {
  error(response, 400, 'Request_BadRequest', message);
}

function has(permission) {
  return (settings.permissions || []).includes(permission);
}

function canWriteApplications() {
  return has('Application.ReadWrite.All') || has('Application.ReadWrite.OwnedBy');
}

function denied(response) {
  error(response, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

function notFound(response, id) {
  error(response, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

// A redirect URI Entra accepts: https, or http on localhost / 127.0.0.1 only
// (https://learn.microsoft.com/entra/identity-platform/reply-url).
function acceptableRedirectUri(uri) {
  try {
    const url = new URL(uri);
    if (url.hash) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname));
  } catch {
    return false;
  }
}

// Whether a redirect URI in a request matches one the app holds: exactly, or for a loopback
// URI (http on localhost or 127.0.0.1) on any port.
function sameRedirectUri(held, asked) {
  if (held === asked) return true;
  try {
    const [a, b] = [new URL(held), new URL(asked)];
    const loopback = (url) => url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
    return loopback(a) && loopback(b) && a.hostname === b.hostname && a.pathname === b.pathname && a.search === b.search;
  } catch {
    return false;
  }
}

// Checks an application body (create or update); returns an error message or null.
function checkApplication(body, creating) {
  for (const key of Object.keys(body)) {
    if (!APPLICATION_PROPERTIES.has(key)) return `Property '${key}' does not exist as a declared property or extension property.`;
  }
  if (creating && typeof body.displayName !== 'string') return "Property 'displayName' is required.";
  if (body.signInAudience !== undefined && !SIGN_IN_AUDIENCES.has(body.signInAudience)) return "Invalid value specified for property 'signInAudience' of resource 'Application'.";
  if (body.web !== undefined) {
    for (const key of Object.keys(body.web)) {
      if (!WEB_PROPERTIES.has(key)) return `Property '${key}' does not exist as a declared property or extension property.`;
    }
    const uris = body.web.redirectUris || [];
    if (!Array.isArray(uris) || uris.some((uri) => !acceptableRedirectUri(uri))) return "Invalid value specified for property 'web.redirectUris' of resource 'Application'.";
    if (uris.length > 256) return "Invalid value specified for property 'web.redirectUris' of resource 'Application'.";
    if (body.web.logoutUrl !== undefined && body.web.logoutUrl !== null && !/^https:\/\//.test(body.web.logoutUrl)) return "Invalid value specified for property 'web.logoutUrl' of resource 'Application'.";
  }
  if (body.optionalClaims !== undefined && body.optionalClaims !== null) {
    for (const kind of Object.keys(body.optionalClaims)) {
      if (!['idToken', 'accessToken', 'saml2Token'].includes(kind)) return `Property '${kind}' does not exist as a declared property or extension property.`;
      for (const claim of body.optionalClaims[kind] || []) {
        for (const key of Object.keys(claim)) {
          if (!OPTIONAL_CLAIM_PROPERTIES.has(key)) return `Property '${key}' does not exist as a declared property or extension property.`;
        }
        if (kind === 'idToken' && claim.source == null && !ID_TOKEN_OPTIONAL_CLAIMS.has(claim.name)) return `Invalid value specified for property 'optionalClaims.idToken.name': '${claim.name}'.`;
      }
    }
  }
  return null;
}

function isGuid(text) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

function publicApplication(app) {
  // passwordCredentials never carry secretText after addPassword's answer.
  return { ...app, passwordCredentials: app.passwordCredentials.map(({ secretText, ...rest }) => ({ ...rest, secretText: null })) };
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

// The tenant's v2.0 endpoints, as far as a secret check needs them.
async function signInEndpoints(request, response, tenant, route) {
  const issuer = `${origin}/${tenant}/v2.0`;
  if (route.endsWith('openid-configuration')) {
    return send(response, 200, {
      issuer,
      authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
      token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
      jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'name', 'preferred_username', 'email', 'given_name', 'family_name', 'tid', 'oid'],
      code_challenge_methods_supported: ['plain', 'S256'],
    });
  }
  if (route.endsWith('keys')) return send(response, 200, { keys: [jwk] });
  if (route.endsWith('authorize')) {
    const url = new URL(request.url, origin);
    const client = [...applications.values()].find((candidate) => candidate.appId === url.searchParams.get('client_id'));
    return authorize(url, response, {
      client,
      registered: (uri) => client.web.redirectUris.some((held) => sameRedirectUri(held, uri)),
      refuse: (message) => {
        response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(`AADSTS50011: ${message}`);
      },
      claims: (app) => {
        const asked = new Set((app.optionalClaims?.idToken || []).map((claim) => claim.name));
        const user = { email: 'ada@acme.example', given_name: 'Ada', family_name: 'Lovelace' };
        return {
          ver: '2.0', tid: tenant, oid: '4a9f2a3c-0d1e-4b5a-9c8d-7e6f5a4b3c2d', sub: 'stand-in-user-ada',
          name: 'Ada Lovelace', preferred_username: 'ada@acme.example',
          ...Object.fromEntries(Object.entries(user).filter(([claim]) => asked.has(claim))),
        };
      },
    });
  }
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const { clientId, secret } = clientCredentials(request, form);
  const app = [...applications.values()].find((candidate) => candidate.appId === clientId);
  const now = new Date();
  const valid = app && app.passwordCredentials.some((password) => password.secretText === secret && new Date(password.endDateTime) > now);
  if (!valid) {
    return send(response, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.', error_codes: [7000215] });
  }
  const redeemed = redeem(form, clientId, { issuer, sign });
  if (redeemed) return send(response, redeemed.status, redeemed.body);
  return send(response, 400, { error: 'invalid_grant', error_description: 'AADSTS70000: The provided authorization code or refresh token has expired, is malformed or was already used.', error_codes: [70000] });
}

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url, base);
  if (url.pathname === '/_stand-in/log') return send(response, 200, log);
  // The secrets made, for a test to compare with what reached the keychain.
  if (url.pathname === '/_stand-in/secrets') return send(response, 200, [...applications.values()].flatMap((app) => app.passwordCredentials.map((password) => password.secretText)));
  const tenantRoute = url.pathname.match(/^\/([0-9a-f-]{36})\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|oauth2\/v2\.0\/authorize)$/);
  if (tenantRoute) return signInEndpoints(request, response, tenantRoute[1], tenantRoute[2]);
  let body;
  try {
    body = await readBody(request);
  } catch {
    return badRequest(response, 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  log.push({ method: request.method, path: url.pathname, body: body ?? null });
  if (request.headers.authorization !== `Bearer ${settings.token}`) {
    return error(response, 401, 'InvalidAuthenticationToken', request.headers.authorization ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.');
  }
  if (settings.throttle && url.pathname.includes(settings.throttle.path) && throttled < settings.throttle.times) {
    throttled += 1;
    return error(response, 429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': String(settings.throttle.retryAfter) });
  }
  if (settings.failPath && url.pathname.includes(settings.failPath)) {
    return error(response, 500, 'generalException', 'An internal server error occurred.');
  }
  if (request.method !== 'GET' && request.method !== 'DELETE' && request.headers['content-type'] !== 'application/json') {
    return badRequest(response, 'Content-Type must be application/json.');
  }
  const path = url.pathname.replace(/^\/v1\.0/, '').split('/').filter(Boolean);

  // POST /applications
  if (request.method === 'POST' && path.length === 1 && path[0] === 'applications') {
    if (!canWriteApplications()) return denied(response);
    const problem = checkApplication(body || {}, true);
    if (problem) return badRequest(response, problem);
    const app = {
      id: crypto.randomUUID(), appId: crypto.randomUUID(), displayName: body.displayName,
      signInAudience: body.signInAudience || 'AzureADMyOrg',
      web: { redirectUris: [], logoutUrl: null, homePageUrl: null, implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false }, redirectUriSettings: [], ...(body.web || {}) },
      optionalClaims: body.optionalClaims ?? null, passwordCredentials: [], createdDateTime: new Date().toISOString(),
    };
    applications.set(app.id, app);
    return send(response, 201, publicApplication(app));
  }
  if (path[0] === 'applications' && path.length >= 2) {
    const app = applications.get(path[1]);
    if (!app) return notFound(response, path[1]);
    if (path.length === 2 && request.method === 'GET') return send(response, 200, publicApplication(app));
    if (!canWriteApplications()) return denied(response);
    if (path.length === 2 && request.method === 'PATCH') {
      const problem = checkApplication(body || {}, false);
      if (problem) return badRequest(response, problem);
      // A property given replaces the property held, complex values whole.
      for (const [key, value] of Object.entries(body)) {
        app[key] = key === 'web'
          ? { redirectUris: [], logoutUrl: null, homePageUrl: null, implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false }, redirectUriSettings: [], ...value }
          : value;
      }
      if (settings.failAfterApplying && failedAfterApplying < settings.failAfterApplying.times) {
        failedAfterApplying += 1;
        return error(response, 500, 'generalException', 'An internal server error occurred.');
      }
      return send(response, 204);
    }
    if (path.length === 2 && request.method === 'DELETE') {
      applications.delete(app.id);
      for (const [id, principal] of servicePrincipals) if (principal.appId === app.appId) servicePrincipals.delete(id);
      return send(response, 204);
    }
    if (path.length === 3 && path[2] === 'addPassword' && request.method === 'POST') {
      const credential = (body || {}).passwordCredential || {};
      for (const key of Object.keys(body || {})) if (key !== 'passwordCredential') return badRequest(response, `Property '${key}' does not exist as a declared property or extension property.`);
      const start = new Date();
      const end = credential.endDateTime ? new Date(credential.endDateTime) : new Date(start.getTime() + 2 * 365 * 86400000);
      if (Number.isNaN(end.getTime()) || end <= start) return badRequest(response, "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.");
      if (settings.maxSecretDays && end.getTime() - start.getTime() > settings.maxSecretDays * 86400000) {
        return badRequest(response, 'Credential lifetime exceeds the max value allowed as per assigned policy.');
      }
      const secretText = crypto.randomBytes(30).toString('base64url');
      const password = {
        customKeyIdentifier: null, displayName: credential.displayName ?? null, endDateTime: end.toISOString(),
        hint: secretText.slice(0, 3), keyId: crypto.randomUUID(), secretText, startDateTime: start.toISOString(),
      };
      app.passwordCredentials.push(password);
      return send(response, 200, password);
    }
    if (path.length === 3 && path[2] === 'removePassword' && request.method === 'POST') {
      const index = app.passwordCredentials.findIndex((password) => password.keyId === (body || {}).keyId);
      if (index < 0) return badRequest(response, 'No password credential found with the given keyId.');
      app.passwordCredentials.splice(index, 1);
      return send(response, 204);
    }
  }
  // POST /servicePrincipals
  if (request.method === 'POST' && path.length === 1 && path[0] === 'servicePrincipals') {
    if (!canWriteApplications()) return denied(response);
    for (const key of Object.keys(body || {})) {
      if (!['appId', 'appRoleAssignmentRequired', 'loginUrl', 'notes', 'tags'].includes(key)) return badRequest(response, `Property '${key}' does not exist as a declared property or extension property.`);
    }
    const app = [...applications.values()].find((candidate) => candidate.appId === (body || {}).appId);
    if (!app) return badRequest(response, `The appId '${(body || {}).appId}' of the service principal does not reference a valid application object.`);
    const principal = { id: crypto.randomUUID(), appId: app.appId, appRoleAssignmentRequired: Boolean(body.appRoleAssignmentRequired), loginUrl: body.loginUrl ?? null };
    servicePrincipals.set(principal.id, principal);
    return send(response, 201, principal);
  }
  if (path[0] === 'servicePrincipals' && path.length >= 2) {
    const principal = servicePrincipals.get(path[1]);
    if (!principal) return notFound(response, path[1]);
    if (path.length === 2 && request.method === 'GET') return send(response, 200, principal);
    // https://learn.microsoft.com/graph/api/serviceprincipal-update?view=graph-rest-1.0
    if (path.length === 2 && request.method === 'PATCH') {
      if (!canWriteApplications()) return denied(response);
      for (const key of Object.keys(body || {})) {
        if (!['appRoleAssignmentRequired', 'loginUrl', 'notes', 'tags'].includes(key)) return badRequest(response, `Property '${key}' does not exist as a declared property or extension property.`);
      }
      Object.assign(principal, body);
      return send(response, 204);
    }
    if (path.length === 3 && path[2] === 'appRoleAssignedTo' && request.method === 'POST') {
      if (!has('AppRoleAssignment.ReadWrite.All')) return denied(response);
      const { principalId, resourceId, appRoleId } = body || {};
      if (resourceId !== principal.id) return badRequest(response, "Invalid value specified for property 'resourceId' of resource 'AppRoleAssignment'.");
      if (!isGuid(appRoleId || '')) return badRequest(response, "Invalid value specified for property 'appRoleId' of resource 'AppRoleAssignment'.");
      if (!(settings.groups || []).includes(principalId)) return notFound(response, principalId);
      const assignment = { id: crypto.randomBytes(16).toString('base64url'), principalId, principalType: 'Group', resourceId, appRoleId };
      assignments.push(assignment);
      return send(response, 201, assignment);
    }
    if (path.length === 3 && path[2] === 'appRoleAssignedTo' && request.method === 'GET') {
      return send(response, 200, { value: assignments.filter((assignment) => assignment.resourceId === principal.id) });
    }
  }
  return error(response, 400, 'BadRequest', `Resource not found for the segment '${path[path.length - 1] || ''}'.`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ready ${base}`);
});
