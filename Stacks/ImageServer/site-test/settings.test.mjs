// The deploy-time config.js: checked, defaulted, and federation offered only with a hosted UI.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readConfig, federatedProviders, serviceURL, ConfigError } from '../site/settings.js';

const written = {
  region: 'eu-west-1', bucket: 'album-images', cloudFrontDomain: 'd1.cloudfront.net', userPoolId: 'eu-west-1_Pool',
  clientId: 'client1', identityPoolId: 'eu-west-1:pool-uuid', hostedUIDomain: '', identityProviders: [], endpoints: {},
};

test('a missing config.js is a clear error naming imgstack apply', () => {
  assert.throws(() => readConfig(undefined), (error) => error instanceof ConfigError && /config\.js is missing/.test(error.message)
    && /imgstack apply/.test(error.message));
  assert.throws(() => readConfig('nope'), ConfigError);
});

test('an incomplete config.js names what it lacks', () => {
  const { bucket, ...withoutBucket } = written;
  assert.throws(() => readConfig({ ...withoutBucket, clientId: ' ' }), /lacks bucket, clientId/);
});

test('a config.js as imgstack writes it is read as it is; federation fields and endpoints default to none', () => {
  assert.deepEqual(readConfig(written), written);
  const { hostedUIDomain, identityProviders, endpoints, ...required } = written;
  assert.deepEqual(readConfig(required), written);
});

test('sign-in links are offered only when the hosted UI domain is set', () => {
  assert.deepEqual(federatedProviders(readConfig({ ...written, identityProviders: ['Google'] })), []);
  assert.deepEqual(federatedProviders(readConfig({ ...written, hostedUIDomain: 'album-auth', identityProviders: ['Google', 'Facebook'] })),
    ['Google', 'Facebook']);
});

test('endpoints written for an emulator are read without a trailing slash; AWS hosts otherwise', () => {
  const config = readConfig({ ...written, endpoints: { s3: 'http://127.0.0.1:4566/', 'cognito-idp': 'http://127.0.0.1:4566' } });
  assert.deepEqual(config.endpoints, { s3: 'http://127.0.0.1:4566', 'cognito-idp': 'http://127.0.0.1:4566' });
  assert.equal(serviceURL(config, 's3'), 'http://127.0.0.1:4566');
  assert.equal(serviceURL(config, 'cognito-identity'), 'https://cognito-identity.eu-west-1.amazonaws.com');
});

test('endpoints that are not http(s) URLs of services the album calls are refused by name', () => {
  assert.throws(() => readConfig({ ...written, endpoints: { s3: 'ftp://host' } }), /endpoints\.s3 is not an http\(s\) URL/);
  assert.throws(() => readConfig({ ...written, endpoints: { s3: 'not a url' } }), /endpoints\.s3/);
  assert.throws(() => readConfig({ ...written, endpoints: { lambda: 'http://host' } }), /names lambda/);
  assert.throws(() => readConfig({ ...written, endpoints: ['http://host'] }), /must be an object/);
});
