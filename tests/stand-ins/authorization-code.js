// The authorization code flow with PKCE as the stand-ins' IdPs play it for a sign-in test:
//   https://www.rfc-editor.org/rfc/rfc6749#section-4.1 (the code grant)
//   https://www.rfc-editor.org/rfc/rfc7636#section-4.6 (S256: the verifier hashed is the challenge)
//   https://openid.net/specs/openid-connect-core-1_0.html#IDToken (the ID token's claims)
// The authorization endpoint signs a fixed test user in at once (no login page: the test's
// browser only follows the redirect), but only for a redirect URI the app has registered;
// the token endpoint redeems each code once, for the client and redirect URI it was issued
// to, with the PKCE verifier, and answers with an ID token signed by the stand-in's key.
// Which redirect URIs count as registered is each IdP's own rule, so the caller decides it.
// Shared by microsoft-graph.js and okta-management.js.
import crypto from 'node:crypto';

const base64url = (data) => Buffer.from(data).toString('base64url');

// The stand-in's signing key: the public half for the jwks_uri, and a signer of ID tokens.
export function signingKey() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'stand-in-rs256', use: 'sig', alg: 'RS256' };
  const sign = (claims) => {
    const input = `${base64url(JSON.stringify({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  };
  return { jwk, sign };
}

const codes = new Map();
const CODE_LIFETIME_MS = 60_000;

// GET on the authorization endpoint. `client` is the app the client_id names (undefined when
// none does); `registered(uri)` says whether that app takes the redirect URI; `refuse(message)`
// writes the IdP's own error page (a redirect URI it does not know is never redirected to:
// RFC 6749 §4.1.2.1). `claims(client)` are the user's claims this app gets in its ID token.
export function authorize(url, response, { client, registered, refuse, claims, issuerParameter }) {
  const parameters = url.searchParams;
  const redirectUri = parameters.get('redirect_uri');
  if (!client) return refuse(`the client_id ${parameters.get('client_id')} is not an app here`);
  if (!redirectUri || !registered(redirectUri)) return refuse(`the redirect_uri ${redirectUri} is not registered for the app`);
  const back = new URL(redirectUri);
  const answer = (values) => {
    for (const [name, value] of Object.entries(values)) back.searchParams.set(name, value);
    if (parameters.get('state') !== null) back.searchParams.set('state', parameters.get('state'));
    if (issuerParameter) back.searchParams.set('iss', issuerParameter);
    response.writeHead(302, { Location: back.toString() });
    response.end();
  };
  if (parameters.get('response_type') !== 'code') return answer({ error: 'unsupported_response_type' });
  if (!(parameters.get('scope') || '').split(' ').includes('openid')) return answer({ error: 'invalid_scope', error_description: 'openid is required' });
  if (parameters.get('code_challenge_method') !== 'S256' || !parameters.get('code_challenge')) return answer({ error: 'invalid_request', error_description: 'PKCE with S256 is required' });
  const code = crypto.randomBytes(24).toString('base64url');
  codes.set(code, {
    clientId: parameters.get('client_id'),
    redirectUri,
    challenge: parameters.get('code_challenge'),
    nonce: parameters.get('nonce'),
    claims: claims(client),
    scope: parameters.get('scope'),
    expires: Date.now() + CODE_LIFETIME_MS,
  });
  return answer({ code });
}

// A code at the token endpoint, for a client whose credentials the caller has checked.
// Returns undefined for a code never issued here (the caller answers invalid_grant its way),
// else the status and JSON body to send.
export function redeem(form, clientId, { issuer, sign }) {
  const held = codes.get(form.get('code'));
  if (!held) return undefined;
  codes.delete(form.get('code'));
  const verifier = form.get('code_verifier') || '';
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  if (held.clientId !== clientId || held.redirectUri !== form.get('redirect_uri') || held.expires < Date.now() || challenge !== held.challenge) {
    return { status: 400, body: { error: 'invalid_grant', error_description: 'the code was issued for another client, redirect URI or verifier, or has expired' } };
  }
  const now = Math.floor(Date.now() / 1000);
  const idToken = sign({ ...held.claims, iss: issuer, aud: clientId, iat: now, nbf: now, exp: now + 3600, ...(held.nonce ? { nonce: held.nonce } : {}) });
  return { status: 200, scope: held.scope, body: { token_type: 'Bearer', access_token: crypto.randomBytes(24).toString('base64url'), expires_in: 3600, scope: 'openid profile email', id_token: idToken } };
}
