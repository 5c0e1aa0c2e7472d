'use strict';
// Test fixtures: a user pool's RSA key pair, tokens signed with it, CloudFront events, and a
// fetchJSON that answers like Cognito and counts the calls.

const crypto = require('node:crypto');

const config = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  clientId: 'client1234567890',
  identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
};
const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
const identityId = 'eu-west-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const NOW = 1_800_000_000;

function keyPair(kid) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const poolKey = keyPair('pool-key-1');

function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** An ID token of the test pool, with claims and header overridden as asked. */
function token({ claims = {}, header = {}, key = poolKey } = {}) {
  const head = base64url({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...header });
  const body = base64url({
    sub: 'user-sub-1', iss: issuer, aud: config.clientId, token_use: 'id', iat: NOW - 60, exp: NOW + 3600,
    email: 'user@example.com', ...claims,
  });
  const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/**
 * A viewer-request event for `method` on `uri`, with `authorization` when given. Uploads (PUT,
 * POST, PATCH) carry `Content-Type: image/jpeg` unless `contentType` says otherwise (null: none).
 */
function event(method, uri, authorization, { contentType = 'image/jpeg', headers: extra = {} } = {}) {
  const headers = { host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }] };
  if (authorization !== undefined) headers.authorization = [{ key: 'Authorization', value: authorization }];
  if (['PUT', 'POST', 'PATCH'].includes(method) && contentType !== null) {
    headers['content-type'] = [{ key: 'Content-Type', value: contentType }];
  }
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = [{ key: name, value }];
  return { Records: [{ cf: { request: { method, uri, querystring: '', headers, clientIp: '203.0.113.9' } } }] };
}

/** A fake of the two Cognito endpoints; `calls` records every request. */
function cognito({ keys = [poolKey.jwk], getId = () => ({ IdentityId: identityId }) } = {}) {
  const calls = [];
  const fetchJSON = async (url, request = {}) => {
    calls.push({ url, ...request });
    if (url === `${issuer}/.well-known/jwks.json`) return { keys: typeof keys === 'function' ? keys() : keys };
    if (url === `https://cognito-identity.${config.region}.amazonaws.com/`) return getId(request);
    throw Object.assign(new Error(`unexpected ${url}`), { statusCode: 404 });
  };
  return { fetchJSON, calls };
}

module.exports = { config, issuer, identityId, NOW, keyPair, poolKey, token, event, cognito };
