'use strict';
// The edge function's checks: run with `node --test Stacks/ImageServer/edge-auth/test/`.

const test = require('node:test');
const assert = require('node:assert/strict');
const { createHandler } = require('../src/index');
const { config, identityId, NOW, keyPair, poolKey, token, event, cognito } = require('./support');

function handlerWith(fake) {
  return createHandler({ config, fetchJSON: fake.fetchJSON, now: () => NOW });
}

const ownKey = `/${encodeURIComponent(identityId)}/cat.jpg`;

async function refusal(authorization, { fake = cognito(), uri = ownKey, method = 'PUT' } = {}) {
  const answer = await handlerWith(fake)(event(method, uri, authorization));
  assert.ok(answer.status, `expected a refusal, the request was forwarded: ${JSON.stringify(answer)}`);
  return { answer, message: JSON.parse(answer.body).message, fake };
}

test('a valid token writing under its own prefix is forwarded without the authorization header', async () => {
  const fake = cognito();
  const request = await handlerWith(fake)(event('PUT', ownKey, `Bearer ${token()}`));
  assert.equal(request.status, undefined);
  assert.equal(request.uri, ownKey);
  assert.equal(request.headers.authorization, undefined, 'origin access control signs the origin request');
  assert.equal(request.headers.host[0].value, 'd111111abcdef8.cloudfront.net');
});

test('DELETE, POST and PATCH are checked like PUT', async () => {
  for (const method of ['DELETE', 'POST', 'PATCH']) {
    const { answer } = await refusal(undefined, { method });
    assert.equal(answer.status, '401', method);
    const request = await handlerWith(cognito())(event(method, ownKey, `Bearer ${token()}`));
    assert.equal(request.status, undefined, method);
  }
});

test('reads pass without a token and without any call', async () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS']) {
    const fake = cognito();
    const request = await handlerWith(fake)(event(method, '/someone/cat.jpg'));
    assert.equal(request.uri, '/someone/cat.jpg', method);
    assert.equal(fake.calls.length, 0, method);
  }
});

test('a missing token is a 401 with a bearer challenge', async () => {
  const { answer, message } = await refusal(undefined);
  assert.equal(answer.status, '401');
  assert.equal(answer.statusDescription, 'Unauthorized');
  assert.equal(answer.headers['www-authenticate'][0].value, 'Bearer realm="image-server"');
  assert.match(message, /sign in/);
  const basic = await refusal('Basic dXNlcjpwYXNz');
  assert.equal(basic.answer.status, '401');
});

test('an expired token is refused', async () => {
  const { answer, message } = await refusal(`Bearer ${token({ claims: { exp: NOW - 1 } })}`);
  assert.equal(answer.status, '401');
  assert.equal(message, 'the token has expired');
  assert.match(answer.headers['www-authenticate'][0].value, /error="invalid_token"/);
  const atTheSecond = await refusal(`Bearer ${token({ claims: { exp: NOW } })}`);
  assert.equal(atTheSecond.message, 'the token has expired');
});

test('a token without a numeric expiry is refused', async () => {
  const { message } = await refusal(`Bearer ${token({ claims: { exp: 'tomorrow' } })}`);
  assert.equal(message, 'the token has no expiry (exp)');
});

test('a token issued in the future is refused', async () => {
  const { message } = await refusal(`Bearer ${token({ claims: { iat: NOW + 3600 } })}`);
  assert.equal(message, 'the token was issued in the future (iat)');
});

test('a token for another app client (audience) is refused', async () => {
  const { message } = await refusal(`Bearer ${token({ claims: { aud: 'someone-elses-client' } })}`);
  assert.equal(message, 'the token was issued to another app client');
});

test('a token from another issuer is refused', async () => {
  const { message } = await refusal(`Bearer ${token({ claims: { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' } })}`);
  assert.equal(message, 'the token was issued by another user pool');
});

test('an access token is refused: ownership needs the ID token', async () => {
  const { message } = await refusal(`Bearer ${token({ claims: { token_use: 'access' } })}`);
  assert.match(message, /ID token/);
});

test('a token signed by another key under the pool key id is refused', async () => {
  const impostor = keyPair(poolKey.kid);
  const { answer, message } = await refusal(`Bearer ${token({ key: impostor })}`);
  assert.equal(answer.status, '401');
  assert.equal(message, 'the token signature is not valid');
});

test('a token whose payload was changed after signing is refused', async () => {
  const [head, , signature] = token().split('.');
  const forged = Buffer.from(JSON.stringify({
    sub: 'admin', iss: `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`, aud: config.clientId,
    token_use: 'id', exp: NOW + 3600,
  })).toString('base64url');
  const { message } = await refusal(`Bearer ${head}.${forged}.${signature}`);
  assert.equal(message, 'the token signature is not valid');
});

test('alg none and HS256 are refused before any key is fetched', async () => {
  for (const alg of ['none', 'HS256']) {
    const fake = cognito();
    const { message } = await refusal(`Bearer ${token({ header: { alg } })}`, { fake });
    assert.equal(message, `the token's algorithm must be RS256, not ${alg}`);
    assert.equal(fake.calls.length, 0);
  }
});

test('malformed tokens are refused with a reason', async () => {
  assert.equal((await refusal('Bearer abc')).message, 'the token is not a JWT (three dot-separated parts)');
  assert.equal((await refusal('Bearer a.b.')).message, 'the token is not a JWT (three dot-separated parts)');
  assert.equal((await refusal('Bearer !!.e30.c2ln')).message, "the token's header is not base64url");
  assert.equal((await refusal(`Bearer ${Buffer.from('not json').toString('base64url')}.e30.c2ln`)).message, "the token's header is not JSON");
  assert.equal((await refusal(`Bearer ${token({ header: { kid: undefined } })}`)).message, 'the token names no key (kid)');
});

test('an unknown key id refetches the JWKS once, then refuses', async () => {
  const stranger = keyPair('rotated-away');
  const fake = cognito();
  const { message } = await refusal(`Bearer ${token({ key: stranger })}`, { fake });
  assert.equal(message, 'the token was signed by a key the user pool does not have');
  assert.equal(fake.calls.filter((call) => call.url.endsWith('jwks.json')).length, 1, 'first use fetches once');

  const handler = handlerWith(fake);
  await handler(event('PUT', ownKey, `Bearer ${token()}`));
  const before = fake.calls.filter((call) => call.url.endsWith('jwks.json')).length;
  await handler(event('PUT', ownKey, `Bearer ${token({ key: stranger })}`));
  const after = fake.calls.filter((call) => call.url.endsWith('jwks.json')).length;
  assert.equal(after - before, 1, 'a known key set is refetched exactly once for an unknown kid');
});

test('a rotated key is picked up by the refetch', async () => {
  const next = keyPair('pool-key-2');
  let served = [poolKey.jwk];
  const fake = cognito({ keys: () => served });
  const handler = handlerWith(fake);
  assert.equal((await handler(event('PUT', ownKey, `Bearer ${token()}`))).status, undefined);
  served = [poolKey.jwk, next.jwk];
  assert.equal((await handler(event('PUT', ownKey, `Bearer ${token({ key: next })}`))).status, undefined);
});

test('the JWKS and the identity id are cached between invocations', async () => {
  const fake = cognito();
  const handler = handlerWith(fake);
  for (let i = 0; i < 3; i += 1) {
    const request = await handler(event('PUT', ownKey, `Bearer ${token()}`));
    assert.equal(request.status, undefined);
  }
  assert.equal(fake.calls.filter((call) => call.url.endsWith('jwks.json')).length, 1);
  assert.equal(fake.calls.filter((call) => call.url.includes('cognito-identity')).length, 1);
});

test('GetId is asked with the pool id and the user pool login', async () => {
  const fake = cognito();
  const jwt = token();
  await handlerWith(fake)(event('PUT', ownKey, `Bearer ${jwt}`));
  const call = fake.calls.find((entry) => entry.url.includes('cognito-identity'));
  assert.equal(call.url, 'https://cognito-identity.eu-west-1.amazonaws.com/');
  assert.equal(call.method, 'POST');
  assert.equal(call.headers['X-Amz-Target'], 'AWSCognitoIdentityService.GetId');
  assert.equal(call.headers['Content-Type'], 'application/x-amz-json-1.1');
  assert.deepEqual(JSON.parse(call.body), {
    IdentityPoolId: config.identityPoolId,
    Logins: { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1': jwt },
  });
});

test("writing under another identity's prefix is forbidden", async () => {
  for (const uri of ['/eu-west-1:someone-else/cat.jpg', '/cat.jpg', '/index.html', `/${identityId}/`,
    `/${identityId}/../index.html`, `/${identityId}x/cat.jpg`]) {
    const { answer, message } = await refusal(`Bearer ${token()}`, { uri });
    assert.equal(answer.status, '403', uri);
    assert.equal(message, `you may change only objects under ${identityId}/`, uri);
  }
});

test('a failing identity pool is a 503, not a 401', async () => {
  const fake = cognito({ getId: () => { throw Object.assign(new Error('throttled'), { statusCode: 400 }); } });
  const { answer } = await refusal(`Bearer ${token()}`, { fake });
  assert.equal(answer.status, '503');
});

test('an unreachable JWKS is a 503', async () => {
  const fake = cognito({ keys: () => { throw new Error('timeout'); } });
  const { answer } = await refusal(`Bearer ${token()}`, { fake });
  assert.equal(answer.status, '503');
});

test('no refusal ever contains the token', async () => {
  const cases = [
    token({ claims: { exp: NOW - 1 } }), token({ claims: { aud: 'x' } }), token({ key: keyPair(poolKey.kid) }), token(),
  ];
  for (const jwt of cases) {
    const answer = await handlerWith(cognito())(event('PUT', '/elsewhere/x.jpg', `Bearer ${jwt}`));
    const text = JSON.stringify(answer);
    assert.ok(answer.status, 'refused');
    for (const part of jwt.split('.')) assert.ok(!text.includes(part), 'the answer does not echo the token');
  }
});

test('an upload of a supported raster image with a matching extension is forwarded', async () => {
  const cases = [['cat.jpg', 'image/jpeg'], ['cat.JPEG', 'image/jpeg'], ['cat.png', 'image/png'],
    ['cat.gif', 'image/gif'], ['cat.webp', 'image/webp'], ['cat.png', 'Image/PNG; charset=binary']];
  for (const [name, contentType] of cases) {
    const uri = `/${encodeURIComponent(identityId)}/${name}`;
    const request = await handlerWith(cognito())(event('PUT', uri, `Bearer ${token()}`, { contentType }));
    assert.equal(request.status, undefined, `${name} as ${contentType}`);
  }
});

test('an upload of active content (SVG, HTML, script) is refused with a 415 and a reason', async () => {
  const cases = [
    ['cat.svg', 'image/svg+xml', /only JPEG, PNG, GIF or WebP images/],
    ['page.html', 'text/html', /only JPEG, PNG, GIF or WebP images/],
    ['app.js', 'text/javascript', /only JPEG, PNG, GIF or WebP images/],
    ['cat.png', 'image/svg+xml', /only JPEG, PNG, GIF or WebP images may be uploaded, not image\/svg\+xml/],
    ['cat.jpg', 'text/html', /not text\/html/],
    ['cat.jpg', 'application/octet-stream', /not application\/octet-stream/],
    ['cat', 'image/png', /must end in \.jpg/],
    ['cat.heic', 'image/heic', /only JPEG, PNG, GIF or WebP images/],
  ];
  for (const [name, contentType, reason] of cases) {
    const uri = `/${encodeURIComponent(identityId)}/${name}`;
    for (const method of ['PUT', 'POST', 'PATCH']) {
      const answer = await handlerWith(cognito())(event(method, uri, `Bearer ${token()}`, { contentType }));
      assert.equal(answer.status, '415', `${method} ${name} as ${contentType}`);
      assert.equal(answer.statusDescription, 'Unsupported Media Type');
      assert.match(JSON.parse(answer.body).message, reason, `${method} ${name} as ${contentType}`);
    }
  }
});

test("an upload whose type does not match its key's extension is refused", async () => {
  const uri = `/${encodeURIComponent(identityId)}/cat.png`;
  const answer = await handlerWith(cognito())(event('PUT', uri, `Bearer ${token()}`, { contentType: 'image/jpeg' }));
  assert.equal(answer.status, '415');
  assert.equal(JSON.parse(answer.body).message, 'the Content-Type image/jpeg does not match the .png extension (image/png)');
});

test('an upload without a Content-Type is refused', async () => {
  const answer = await handlerWith(cognito())(event('PUT', ownKey, `Bearer ${token()}`, { contentType: null }));
  assert.equal(answer.status, '415');
  assert.match(JSON.parse(answer.body).message, /needs a Content-Type header \(image\/jpeg for \.jpg\)/);
});

test('a server-side copy is refused: its type would come from the source object', async () => {
  const headers = { 'x-amz-copy-source': `/bucket/${identityId}/old.svg` };
  const answer = await handlerWith(cognito())(event('PUT', ownKey, `Bearer ${token()}`, { headers }));
  assert.equal(answer.status, '415');
  assert.match(JSON.parse(answer.body).message, /copies are not accepted/);
});

test('the content check comes after the token and prefix checks, and DELETE needs no type', async () => {
  const unsigned = await handlerWith(cognito())(event('PUT', `/${identityId}/x.svg`, undefined, { contentType: 'image/svg+xml' }));
  assert.equal(unsigned.status, '401');
  const elsewhere = await handlerWith(cognito())(event('PUT', '/someone/x.svg', `Bearer ${token()}`, { contentType: 'image/svg+xml' }));
  assert.equal(elsewhere.status, '403');
  const removal = await handlerWith(cognito())(event('DELETE', `/${encodeURIComponent(identityId)}/old.svg`, `Bearer ${token()}`));
  assert.equal(removal.status, undefined, 'an old SVG can still be deleted');
});
