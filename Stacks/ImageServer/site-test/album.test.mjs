// Listing answers, keys and ownership.
import test from 'node:test';
import assert from 'node:assert/strict';
import { listURL, ownPrefix, parseListObjects, parseError, isImage, isOwn, objectKey, objectPath, objectURL, displayName, uploadType, ACCEPTED_FILES } from '../site/album.js';

const page = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>images</Name><KeyCount>3</KeyCount><IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>index.html</Key><LastModified>2026-11-01T10:00:00.000Z</LastModified><Size>900</Size></Contents>
  <Contents><Key>eu-west-1:abc/cat &amp; dog.jpg</Key><LastModified>2026-11-02T10:00:00.000Z</LastModified><Size>1024</Size></Contents>
  <Contents><Key>eu-west-1:def/sun&#x2600;.png</Key><LastModified>2026-11-03T10:00:00.000Z</LastModified><Size>2048</Size></Contents>
</ListBucketResult>`;

test('the listing address is ListObjectsV2 on the regional endpoint, the prefix and token URI-encoded', () => {
  const bucket = { bucket: 'album-images', region: 'eu-west-1', endpoints: {} };
  assert.equal(listURL(bucket), 'https://album-images.s3.eu-west-1.amazonaws.com/?list-type=2');
  assert.equal(listURL(bucket, { prefix: 'eu-west-1:abc/', continuationToken: '1ue+Gc/x=' }),
    'https://album-images.s3.eu-west-1.amazonaws.com/?list-type=2&prefix=eu-west-1%3Aabc%2F&continuation-token=1ue%2BGc%2Fx%3D');
});

test('a bucket name with dots is listed path-style, which the regional certificate covers', () => {
  assert.equal(listURL({ bucket: 'images.example.com', region: 'eu-west-1' }, { prefix: 'a/' }),
    'https://s3.eu-west-1.amazonaws.com/images.example.com?list-type=2&prefix=a%2F');
});

test('a configured S3 endpoint is addressed path-style', () => {
  assert.equal(listURL({ bucket: 'images.example.com', region: 'eu-west-1', endpoints: { s3: 'http://127.0.0.1:4566' } }),
    'http://127.0.0.1:4566/images.example.com?list-type=2');
  assert.equal(listURL({ bucket: 'album-images', region: 'eu-west-1', endpoints: { s3: 'http://127.0.0.1:4566' } }),
    'http://127.0.0.1:4566/album-images?list-type=2');
});

test('the own prefix is the identity id and a slash', () => {
  assert.equal(ownPrefix('eu-west-1:abc'), 'eu-west-1:abc/');
  assert.throws(() => ownPrefix(''), /sign in/);
});

test('a ListObjectsV2 page is read with escaped keys, sizes and the continuation token', () => {
  const listed = parseListObjects(page);
  assert.deepEqual(listed.objects.map((object) => object.key), ['index.html', 'eu-west-1:abc/cat & dog.jpg', 'eu-west-1:def/sun☀.png']);
  assert.deepEqual(listed.objects.map((object) => object.size), [900, 1024, 2048]);
  assert.equal(listed.objects[1].lastModified, '2026-11-02T10:00:00.000Z');
  assert.equal(listed.truncated, true);
  assert.equal(listed.nextToken, '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=');
});

test('an empty, last page has no objects and no token', () => {
  const listed = parseListObjects('<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>');
  assert.deepEqual(listed, { objects: [], truncated: false, nextToken: undefined });
});

test('an S3 error answer gives its code and message', () => {
  assert.deepEqual(parseError('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'),
    { code: 'AccessDenied', message: 'Access Denied' });
  assert.equal(parseError(page), null);
});

test('uploads go under the own prefix, and bad file names are refused', () => {
  assert.equal(objectKey('eu-west-1:abc', 'cat.jpg'), 'eu-west-1:abc/cat.jpg');
  assert.equal(objectKey('eu-west-1:abc', ' holiday photo.png '), 'eu-west-1:abc/holiday photo.png');
  assert.throws(() => objectKey('eu-west-1:abc', '../index.html'), /slashes/);
  assert.throws(() => objectKey('eu-west-1:abc', 'a/b.jpg'), /slashes/);
  assert.throws(() => objectKey('eu-west-1:abc', '..'), /not a file name/);
  assert.throws(() => objectKey('eu-west-1:abc', ' .. '), /not a file name/);
  assert.throws(() => objectKey('eu-west-1:abc', 'a\\b.jpg'), /slashes/);
  assert.throws(() => objectKey('eu-west-1:abc', ''), /no name/);
  assert.throws(() => objectKey('eu-west-1:abc', 'new\nline.jpg'), /control characters/);
  assert.equal(objectKey('eu-west-1:abc', 'a..b.jpg'), 'eu-west-1:abc/a..b.jpg');
  assert.throws(() => objectKey('eu-west-1:abc', '   '), /no name/);
  assert.throws(() => objectKey('eu-west-1:abc', 'x'.repeat(256)), /255 bytes/);
  assert.throws(() => objectKey(null, 'cat.jpg'), /sign in/);
});

test('ownership, images and URLs', () => {
  assert.equal(isOwn('eu-west-1:abc/cat.jpg', 'eu-west-1:abc'), true);
  assert.equal(isOwn('eu-west-1:abcd/cat.jpg', 'eu-west-1:abc'), false);
  assert.equal(isOwn('eu-west-1:abc/cat.jpg', null), false);
  assert.equal(isImage('a/cat.JPG'), true);
  assert.equal(isImage('index.html'), false);
  assert.equal(isImage('a/jpg'), false);
  assert.equal(objectURL('d1.cloudfront.net', 'eu-west-1:abc/cat & dog.jpg'), 'https://d1.cloudfront.net/eu-west-1%3Aabc/cat%20%26%20dog.jpg');
  assert.equal(objectPath('eu-west-1:abc/cat & dog.jpg'), '/eu-west-1%3Aabc/cat%20%26%20dog.jpg');
  assert.equal(displayName('eu-west-1:abc/cat.jpg'), 'cat.jpg');
});

test('only JPEG, PNG, GIF and WebP are images: never SVG or HTML', () => {
  for (const key of ['a/cat.jpg', 'a/cat.jpeg', 'a/cat.png', 'a/cat.gif', 'a/cat.WEBP']) assert.equal(isImage(key), true, key);
  for (const key of ['a/cat.svg', 'a/page.html', 'a/cat.avif', 'a/cat.heic', 'a/cat.bmp', 'a/cat.tiff', 'a/.png']) {
    assert.equal(isImage(key), false, key);
  }
  assert.equal(ACCEPTED_FILES, 'image/jpeg,image/png,image/gif,image/webp,.jpg,.jpeg,.png,.gif,.webp');
});

test('the upload type comes from the extension, and anything else is refused with a clear reason', () => {
  assert.equal(uploadType({ name: 'cat.JPG', type: 'image/jpeg' }), 'image/jpeg');
  assert.equal(uploadType({ name: 'cat.webp', type: '' }), 'image/webp');
  assert.equal(uploadType({ name: 'cat.png', type: 'image/png' }), 'image/png');
  for (const file of [{ name: 'cat.svg', type: 'image/svg+xml' }, { name: 'page.html', type: 'text/html' },
    { name: 'cat.heic', type: 'image/heic' }, { name: 'cat.bmp', type: 'image/bmp' }, { name: 'cat.tiff', type: 'image/tiff' },
    { name: 'cat.png', type: 'image/svg+xml' }, { name: 'cat', type: '' }]) {
    assert.throws(() => uploadType(file), new RegExp(`^Error: ${file.name.replace('.', '\\.')} is not a supported image: the album takes JPEG, PNG, GIF or WebP files only$`), file.name);
  }
});
