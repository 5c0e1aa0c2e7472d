'use strict';
// The answers CloudFront gives in place of forwarding a refused request.

function response(status, description, message, extraHeaders = {}) {
  const headers = {
    'content-type': [{ key: 'Content-Type', value: 'application/json' }],
    'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
  };
  for (const [name, value] of Object.entries(extraHeaders)) headers[name.toLowerCase()] = [{ key: name, value }];
  return { status: String(status), statusDescription: description, headers, body: JSON.stringify({ message }) };
}

/** 401: no token, or a token that failed a check (`reason` says which). */
function unauthorized(reason, missing) {
  const challenge = missing
    ? 'Bearer realm="image-server"'
    : `Bearer realm="image-server", error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`;
  return response(401, 'Unauthorized', reason, { 'WWW-Authenticate': challenge });
}

/** 403: a good token, but the object is not under the user's own prefix. */
function forbidden(reason) {
  return response(403, 'Forbidden', reason);
}

/** 415: an upload that is not a supported image (`reason` says why). */
function unsupported(reason) {
  return response(415, 'Unsupported Media Type', reason);
}

/** 503: the identity pool could not be asked who the user is. */
function unavailable(reason) {
  return response(503, 'Service Unavailable', reason, { 'Retry-After': '1' });
}

module.exports = { unauthorized, forbidden, unsupported, unavailable };
