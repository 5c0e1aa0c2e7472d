// The site's SigV4 signer against AWS's published Signature Version 4 test-suite vectors and
// S3 examples, and cases pinned against botocore's signer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { signRequest, uriEncode, amzDate, canonicalQuery, canonicalPath, sha256Hex } from '../site/sigv4.js';

// Browsers have WebCrypto as a global; Node has it there only from version 19.
globalThis.crypto ??= webcrypto;

// The test suite's credentials, date, region and service.
const suite = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1', service: 'service', date: new Date(Date.UTC(2015, 7, 30, 12, 36, 0)),
};
const suiteScope = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ';

// The S3 documentation's examples: credentials and date.
const s3 = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1', service: 's3', date: new Date(Date.UTC(2013, 4, 24, 0, 0, 0)),
};
const emptySHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('test suite get-vanilla: exact Authorization header, x-amz-date sent, Host left to the browser', async () => {
  const headers = await signRequest({ ...suite, method: 'GET', url: 'https://example.amazonaws.com/' });
  assert.equal(headers.authorization, `${suiteScope}Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`);
  assert.equal(headers['x-amz-date'], '20150830T123600Z');
  assert.equal(headers.host, undefined);
  assert.equal(headers['x-amz-content-sha256'], undefined, 'only S3 signs the payload hash header');
});

test('test suite get-vanilla-query-order-key-case: parameters signed sorted by name', async () => {
  const headers = await signRequest({ ...suite, method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1' });
  assert.equal(headers.authorization, `${suiteScope}Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`);
});

test('S3 example GET Bucket (list objects): payload hash of the empty body signed, exact Authorization header', async () => {
  const headers = await signRequest({ ...s3, method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J' });
  assert.equal(headers['x-amz-content-sha256'], emptySHA256);
  assert.equal(headers.authorization, 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, '
    + 'SignedHeaders=host;x-amz-content-sha256;x-amz-date, '
    + 'Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
});

test('temporary credentials sign X-Amz-Security-Token (pinned against botocore)', async () => {
  const headers = await signRequest({
    ...s3, credentials: { ...s3.credentials, sessionToken: 'session/token+example=' },
    method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?list-type=2&prefix=eu-west-1%3Aabc%2F',
  });
  assert.equal(headers['x-amz-security-token'], 'session/token+example=');
  assert.equal(headers.authorization, 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, '
    + 'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, '
    + 'Signature=7e1ddbdf02ad49cad4114c5f39a7d9bccbd51b9509978ae205e35eee7cb890e0');
});

test('the album listing request, continuation token and all, signs as botocore does', async () => {
  const headers = await signRequest({
    ...s3, region: 'eu-west-1', credentials: { ...s3.credentials, sessionToken: 'session/token+example=' }, method: 'GET',
    url: 'https://images.s3.eu-west-1.amazonaws.com/?continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D&list-type=2&prefix=eu-west-1%3Aabc%2F',
  });
  assert.match(headers.authorization, /Signature=cef51ad6ba81aff99cd8967a939cf8c7f3631952ccab63ce12634a49ca945def$/);
});

test('S3 signs an object key encoded once, not twice (pinned against botocore)', async () => {
  const headers = await signRequest({ ...s3, method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/eu-west-1%3Aabc/cat%20%26%20dog.jpg' });
  assert.match(headers.authorization, /Signature=50b04c7151e5cd00eb4e4d76b578a35dbb81f2587027529578a032c8acbbcde9$/);
  assert.equal(canonicalPath('/eu-west-1:abc/cat%20%26%20dog.jpg', 's3'), '/eu-west-1%3Aabc/cat%20%26%20dog.jpg');
});

test('other services sign the sent path encoded once more (pinned against botocore)', async () => {
  const headers = await signRequest({ ...suite, method: 'GET', url: 'https://example.amazonaws.com/a%20b/c%3Ad' });
  assert.equal(headers.authorization, `${suiteScope}Signature=cbb26f7338ccd5acd432bd023eb496f7c736b188bd50fd3538ebcd35f8b7eb02`);
  assert.equal(canonicalPath('/a%20b/c%3Ad', 'service'), '/a%2520b/c%253Ad');
});

test('the canonical query sorts encoded names by byte, keeps a plus a plus, and signs empty values', () => {
  assert.equal(canonicalQuery('?b=2&a=x%20y&A=1&a=w'), 'A=1&a=w&a=x%20y&b=2');
  assert.equal(canonicalQuery('?prefix=a+b&list-type=2'), 'list-type=2&prefix=a%2Bb');
  assert.equal(canonicalQuery('?acl'), 'acl=');
  assert.equal(canonicalQuery(''), '');
});

test('a different secret, or a different session token, gives a different signature', async () => {
  const sign = (secretAccessKey, sessionToken) => signRequest({
    ...s3, method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/', credentials: { accessKeyId: 'A', secretAccessKey, sessionToken },
  });
  const base = (await sign('one', 't1')).authorization;
  assert.notEqual((await sign('two', 't1')).authorization, base);
  assert.notEqual((await sign('one', 't2')).authorization, base);
});

test('URI encoding keeps only the unreserved characters; dates and hashes are AWS-shaped', async () => {
  assert.equal(uriEncode('a b/c~d_e.f-g'), 'a%20b%2Fc~d_e.f-g');
  assert.equal(uriEncode('a b/c', true), 'a%20b/c');
  assert.equal(uriEncode("é:+*!'()"), '%C3%A9%3A%2B%2A%21%27%28%29');
  assert.deepEqual(amzDate(s3.date), { stamp: '20130524T000000Z', day: '20130524' });
  assert.equal(await sha256Hex(''), emptySHA256);
});
