'use strict';
// Checks a Cognito ID token: an RS256 JSON Web Token (RFC 7519) signed with one of the user
// pool's keys. Every failure is a TokenError whose message says what was wrong (never the
// token itself).

const crypto = require('node:crypto');

class TokenError extends Error {}

/** Decodes one base64url part as JSON, or throws a TokenError naming the part. */
function decodePart(part, name) {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new TokenError(`the token's ${name} is not base64url`);
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError(`the token's ${name} is not JSON`);
  }
}

/**
 * Splits a compact JWT and reads its header and payload, without trusting either yet.
 * @returns {{header: object, payload: object, signed: string, signature: Buffer}}
 */
function parse(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => part.length === 0)) {
    throw new TokenError('the token is not a JWT (three dot-separated parts)');
  }
  const header = decodePart(parts[0], 'header');
  const payload = decodePart(parts[1], 'payload');
  if (header.alg !== 'RS256') throw new TokenError(`the token's algorithm must be RS256, not ${String(header.alg)}`);
  if (typeof header.kid !== 'string' || header.kid.length === 0) throw new TokenError('the token names no key (kid)');
  return { header, payload, signed: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

/** Throws unless `signature` is the RS256 signature of `signed` by the JSON Web Key `jwk`. */
function verifySignature(parsed, jwk) {
  let key;
  try {
    key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new TokenError('the signing key in the JWKS is not a usable RSA key');
  }
  if (!crypto.verify('RSA-SHA256', Buffer.from(parsed.signed), key, parsed.signature)) {
    throw new TokenError('the token signature is not valid');
  }
}

/**
 * Checks the claims of a verified token against the user pool and app client.
 * @param {object} payload the token's claims.
 * @param {{issuer: string, clientId: string, now: number}} expected
 */
function checkClaims(payload, { issuer, clientId, now }) {
  if (payload.iss !== issuer) throw new TokenError('the token was issued by another user pool');
  if (payload.token_use !== 'id') throw new TokenError('an ID token is needed (token_use must be "id")');
  if (payload.aud !== clientId) throw new TokenError('the token was issued to another app client');
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new TokenError('the token has no expiry (exp)');
  if (now >= payload.exp) throw new TokenError('the token has expired');
  if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > now + 300)) {
    throw new TokenError('the token was issued in the future (iat)');
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new TokenError('the token names no user (sub)');
}

module.exports = { TokenError, parse, verifySignature, checkClaims };
