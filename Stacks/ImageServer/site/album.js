// What the album knows about the bucket: listing requests and answers, keys and who owns them.

import { uriEncode } from './sigv4.js';

// The raster types the album takes and shows, by extension. Nothing else is an image here: SVG
// and HTML can carry script, and the edge function refuses them too.
const IMAGE_TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

/** The upload form's `accept`: the supported types and their extensions. */
export const ACCEPTED_FILES = [...new Set(Object.values(IMAGE_TYPES)), ...Object.keys(IMAGE_TYPES).map((e) => `.${e}`)].join(',');

/** What the album takes, for messages. */
export const SUPPORTED_IMAGES = 'JPEG, PNG, GIF or WebP';

function unescapeXML(text) {
  return text
    .replace(/&#x([0-9a-fA-F]+);/g, (_, code) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text of each `<tag>…</tag>` directly in `xml`, in order. */
function elements(xml, tag) {
  const found = [];
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  let from = 0;
  for (;;) {
    const start = xml.indexOf(open, from);
    if (start < 0) return found;
    const end = xml.indexOf(close, start + open.length);
    if (end < 0) return found;
    found.push(xml.slice(start + open.length, end));
    from = end + close.length;
  }
}

function first(xml, tag) {
  const [value] = elements(xml, tag);
  return value === undefined ? undefined : unescapeXML(value);
}

/**
 * The ListObjectsV2 address. On AWS, the bucket's virtual-hosted regional endpoint
 * (`https://<bucket>.s3.<region>.amazonaws.com/`), except for a bucket name with dots, whose host
 * the `*.s3.<region>.amazonaws.com` certificate does not cover: that one is addressed path-style
 * (`https://s3.<region>.amazonaws.com/<bucket>`), as AWS's S3 user guide advises for HTTPS. With a
 * configured endpoint (an emulator), always path-style on it. The query is encoded here the way
 * SigV4 canonicalises it, so what is sent is exactly what is signed.
 * @param {{bucket: string, region: string, endpoints?: Object<string, string>}} config
 * @param {{prefix?: string, continuationToken?: string}} [options]
 */
export function listURL({ bucket, region, endpoints = {} }, { prefix, continuationToken } = {}) {
  const query = [['list-type', '2']];
  if (prefix) query.push(['prefix', prefix]);
  if (continuationToken) query.push(['continuation-token', continuationToken]);
  const search = query.map(([name, value]) => `${name}=${uriEncode(value)}`).join('&');
  if (endpoints.s3) return `${endpoints.s3}/${bucket}?${search}`;
  if (bucket.includes('.')) return `https://s3.${region}.amazonaws.com/${bucket}?${search}`;
  return `https://${bucket}.s3.${region}.amazonaws.com/?${search}`;
}

/** The prefix of an identity's own images: `<identity id>/`. */
export function ownPrefix(identityId) {
  if (!identityId) throw new Error('no identity: sign in first');
  return `${identityId}/`;
}

/**
 * Reads a ListObjectsV2 answer.
 * @returns {{objects: {key: string, size: number, lastModified: string}[], truncated: boolean, nextToken?: string}}
 */
export function parseListObjects(xml) {
  const objects = elements(xml, 'Contents').map((entry) => ({
    key: first(entry, 'Key'),
    size: Number(first(entry, 'Size') || 0),
    lastModified: first(entry, 'LastModified') || '',
  }));
  return { objects, truncated: first(xml, 'IsTruncated') === 'true', nextToken: first(xml, 'NextContinuationToken') };
}

/** The error code and message of an S3 error answer, or null. */
export function parseError(xml) {
  const code = first(xml, 'Code');
  return code ? { code, message: first(xml, 'Message') || code } : null;
}

function extensionOf(name) {
  const base = String(name).slice(String(name).lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** True for keys that name a supported image (by extension). */
export function isImage(key) {
  return Object.hasOwn(IMAGE_TYPES, extensionOf(key));
}

/**
 * The Content-Type a file is uploaded with, from its name's extension; throws, saying what the
 * album takes, when the file is not a supported image or its browser-given type disagrees.
 * @param {{name: string, type?: string}} file
 */
export function uploadType(file) {
  const expected = IMAGE_TYPES[extensionOf(file.name)];
  const given = String(file.type || '').toLowerCase();
  if (!expected || (given && given !== expected)) {
    throw new Error(`${file.name} is not a supported image: the album takes ${SUPPORTED_IMAGES} files only`);
  }
  return expected;
}

/** True when `key` is under the identity's own prefix. */
export function isOwn(key, identityId) {
  return Boolean(identityId) && key.startsWith(ownPrefix(identityId));
}

/** The key a file is uploaded under: `<identity id>/<file name>`; throws on a bad name. */
export function objectKey(identityId, fileName) {
  const name = String(fileName).trim();
  const prefix = ownPrefix(identityId);
  if (name.length === 0) throw new Error('the file has no name');
  if (name.includes('/') || name.includes('\\')) throw new Error('file names cannot contain slashes');
  if (name === '.' || name === '..') throw new Error('that is not a file name');
  if (new TextEncoder().encode(name).length > 255) throw new Error('the file name is longer than 255 bytes');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new Error('the file name has control characters');
  return `${prefix}${name}`;
}

/** The path of a key, each segment encoded: what CloudFront and the edge function see. */
export function objectPath(key) {
  return `/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The URL of a key through CloudFront. */
export function objectURL(domain, key) {
  return `https://${domain}${objectPath(key)}`;
}

/** The part of a key after its owner's prefix. */
export function displayName(key) {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(slash + 1);
}
