'use strict';
// Lambda@Edge viewer-request function of the image server: reads pass; a write (PUT, POST,
// PATCH, DELETE) needs the Cognito ID token of a signed-in user and an object key under that
// user's own prefix, `<identity id>/`; an upload must be a JPEG, PNG, GIF or WebP image whose
// Content-Type matches its key's extension (nothing the browser would run, such as SVG or HTML). The settings come from config.json, which imgstack
// writes into the package at deploy time (Lambda@Edge has no environment variables).

const { TokenError, parse, verifySignature, checkClaims } = require('./jwt');
const { KeyStore } = require('./jwks');
const { IdentityResolver } = require('./identity');
const { unauthorized, forbidden, unsupported, unavailable } = require('./responses');
const { uploadRefusal } = require('./content');

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Writes that set an object's content: their Content-Type and key must name a supported image.
const UPLOADS = new Set(['PUT', 'POST', 'PATCH']);

/**
 * Makes a handler for the given settings.
 * @param {{config: {region: string, userPoolId: string, clientId: string, identityPoolId: string},
 *          fetchJSON: (url: string, request: object) => Promise<object>, now?: () => number}} options
 */
function createHandler({ config, fetchJSON, now = () => Math.floor(Date.now() / 1000) }) {
  const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
  const keys = new KeyStore(`${issuer}/.well-known/jwks.json`, fetchJSON);
  const identities = new IdentityResolver(config, fetchJSON);

  /** The verified claims of the request's bearer token; throws TokenError. */
  async function verifiedClaims(token) {
    const parsed = parse(token);
    let jwk;
    try {
      jwk = await keys.key(parsed.header.kid);
    } catch (error) {
      throw Object.assign(new Error('the user pool keys could not be fetched'), { unavailable: true, cause: error });
    }
    if (!jwk) throw new TokenError('the token was signed by a key the user pool does not have');
    verifySignature(parsed, jwk);
    checkClaims(parsed.payload, { issuer, clientId: config.clientId, now: now() });
    return parsed.payload;
  }

  return async function handler(event) {
    const request = event.Records[0].cf.request;
    if (READS.has(request.method)) return request;

    const header = request.headers.authorization && request.headers.authorization[0];
    const match = header && /^Bearer\s+(\S+)$/i.exec(header.value.trim());
    if (!match) {
      console.log(`refused ${request.method}: no bearer token`);
      return unauthorized('sign in first: writes need an Authorization: Bearer <ID token> header', true);
    }
    const token = match[1];

    let claims;
    try {
      claims = await verifiedClaims(token);
    } catch (error) {
      if (error instanceof TokenError) {
        console.log(`refused ${request.method}: ${error.message}`);
        return unauthorized(error.message, false);
      }
      console.log(`unavailable ${request.method}: ${error.message}`);
      return unavailable('the sign-in service could not be reached; try again');
    }

    let identityId;
    try {
      identityId = await identities.identityId(claims.sub, token);
    } catch (error) {
      console.log(`unavailable ${request.method}: identity lookup failed (${error.message})`);
      return unavailable('the identity pool could not be reached; try again');
    }

    let key;
    try {
      key = decodeURIComponent(request.uri.replace(/^\//, ''));
    } catch {
      return forbidden('the object key is not valid URL encoding');
    }
    const prefix = `${identityId}/`;
    if (!key.startsWith(prefix) || key.length === prefix.length || key.split('/').includes('..')) {
      console.log(`forbidden ${request.method}: outside the user's prefix`);
      return forbidden(`you may change only objects under ${prefix}`);
    }

    if (UPLOADS.has(request.method)) {
      if (request.headers['x-amz-copy-source']) {
        console.log(`refused ${request.method}: a server-side copy`);
        return unsupported('copies are not accepted: upload the image itself');
      }
      const contentType = request.headers['content-type'] && request.headers['content-type'][0].value;
      const refusal = uploadRefusal(key, contentType);
      if (refusal) {
        console.log(`refused ${request.method}: not a supported image`);
        return unsupported(refusal);
      }
    }

    delete request.headers.authorization;
    return request;
  };
}

let configured = null;

/** The Lambda@Edge entry point: a handler for the deployed config.json, made on first use. */
exports.handler = async (event) => {
  if (configured === null) {
    // Loaded lazily so the tests can require this file without a config.json.
    const config = require('./config.json');
    const { fetchJSON } = require('./http');
    configured = createHandler({ config, fetchJSON });
  }
  return configured(event);
};

exports.createHandler = createHandler;
