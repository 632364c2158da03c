// The client's credentials at a token endpoint, as RFC 6749 §2.3.1 sends them: HTTP Basic
// with the form-encoded client ID and secret, or client_id and client_secret in the body.
// Shared by the stand-ins' token endpoints.
export function clientCredentials(request, form) {
  const basic = (request.headers.authorization || '').match(/^Basic (.+)$/);
  if (basic) {
    const [id, password] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(id), secret: decodeURIComponent(password || '') };
  }
  return { clientId: form.get('client_id'), secret: form.get('client_secret') };
}
