// The site's SigV4 signer against AWS's published examples and a botocore-pinned case.
import test from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { signRequest, uriEncode, amzDate } from '../site/sigv4.js';

// Browsers have WebCrypto as a global; Node has it there only from version 19.
globalThis.crypto ??= webcrypto;

const s3Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const s3Date = new Date(Date.UTC(2013, 4, 24, 0, 0, 0));

test('SigV4 test suite: get-vanilla', async () => {
  const headers = await signRequest({
    method: 'GET', url: 'https://example.amazonaws.com/',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    region: 'us-east-1', service: 'service', date: new Date(Date.UTC(2015, 7, 30, 12, 36, 0)),
  });
  assert.equal(headers.authorization, 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
    + 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  assert.equal(headers['x-amz-date'], '20150830T123600Z');
  assert.equal(headers.host, undefined, 'the browser sets Host itself');
});

test('S3 documentation example: ListObjects (GET Bucket) with max-keys and prefix', async () => {
  const headers = await signRequest({
    method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J',
    credentials: s3Credentials, region: 'us-east-1', service: 's3', date: s3Date,
  });
  assert.equal(headers['x-amz-content-sha256'], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.match(headers.authorization, /SignedHeaders=host;x-amz-content-sha256;x-amz-date, /);
  assert.match(headers.authorization, /Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
});

test('temporary credentials sign their session token (pinned against botocore)', async () => {
  const headers = await signRequest({
    method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?list-type=2&prefix=eu-west-1%3Aabc%2F',
    credentials: { ...s3Credentials, sessionToken: 'session/token+example=' }, region: 'us-east-1', service: 's3', date: s3Date,
  });
  assert.equal(headers['x-amz-security-token'], 'session/token+example=');
  assert.equal(headers.authorization, 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, '
    + 'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, '
    + 'Signature=7e1ddbdf02ad49cad4114c5f39a7d9bccbd51b9509978ae205e35eee7cb890e0');
});

test('a different secret gives a different signature', async () => {
  const sign = (secretAccessKey) => signRequest({
    method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/', credentials: { accessKeyId: 'A', secretAccessKey },
    region: 'us-east-1', service: 's3', date: s3Date,
  });
  assert.notEqual((await sign('one')).authorization, (await sign('two')).authorization);
});

test('URI encoding keeps only the unreserved characters', () => {
  assert.equal(uriEncode('a b/c~d_e.f-g'), 'a%20b%2Fc~d_e.f-g');
  assert.equal(uriEncode('a b/c', true), 'a%20b/c');
  assert.equal(uriEncode('é:'), '%C3%A9%3A');
  assert.deepEqual(amzDate(s3Date), { stamp: '20130524T000000Z', day: '20130524' });
});
