// AWS Signature Version 4 for the browser (WebCrypto), enough for the S3 calls the album
// makes with the identity pool's temporary credentials.

const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The SHA-256 of `data` (a string or bytes), hex. */
export async function sha256Hex(data) {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

async function hmac(key, data) {
  const raw = typeof key === 'string' ? encoder.encode(key) : key;
  const imported = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', imported, encoder.encode(data));
}

/** RFC 3986 encoding: everything but `A-Z a-z 0-9 - _ . ~` (and `/` when `keepSlash`). */
export function uriEncode(text, keepSlash = false) {
  return Array.from(encoder.encode(text), (byte) => {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char) || (keepSlash && char === '/')) return char;
    return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** `20150830T123600Z` and `20150830` for a date. */
export function amzDate(date) {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { stamp, day: stamp.slice(0, 8) };
}

/**
 * The canonical query string: each name and value decoded from the address as written, then
 * URI-encoded and sorted by name, then value. The raw query is read rather than URLSearchParams,
 * which would turn a `+` into a space where AWS reads a plus.
 */
export function canonicalQuery(search) {
  const query = String(search).replace(/^\?/, '');
  if (query === '') return '';
  return query.split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? '' : pair.slice(equals + 1);
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))];
    })
    .sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

// Code-unit order: after encoding everything is ASCII, so this is the byte order AWS sorts by.
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical path. S3 signs the key URI-encoded once (`/` kept); every other service signs
 * the path as sent, already encoded, encoded once more.
 */
export function canonicalPath(pathname, service) {
  const path = pathname || '/';
  if (service === 's3') return uriEncode(decodeURIComponent(path), true);
  return path.split('/').map((segment) => uriEncode(segment)).join('/');
}

// Header values are signed trimmed, with runs of spaces folded into one.
function canonicalValue(value) {
  return String(value).trim().replace(/\s+/g, ' ');
}

/**
 * Signs a request.
 * @param {{method: string, url: string, headers?: object, body?: string|Uint8Array,
 *   credentials: {accessKeyId: string, secretAccessKey: string, sessionToken?: string},
 *   region: string, service: string, date?: Date}} request
 * @returns {Promise<object>} the headers to send (Host is left to the browser).
 */
export async function signRequest({ method, url, headers = {}, body = '', credentials, region, service, date = new Date() }) {
  const target = new URL(url);
  const { stamp, day } = amzDate(date);
  const payloadHash = await sha256Hex(body);
  const all = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), canonicalValue(value)]));
  all.host = target.host;
  all['x-amz-date'] = stamp;
  if (service === 's3') all['x-amz-content-sha256'] = payloadHash;
  if (credentials.sessionToken) all['x-amz-security-token'] = credentials.sessionToken;

  const names = Object.keys(all).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    method, canonicalPath(target.pathname, service), canonicalQuery(target.search),
    names.map((name) => `${name}:${all[name]}\n`).join(''), signedHeaders, payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, await sha256Hex(canonicalRequest)].join('\n');

  let key = await hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, stringToSign));

  const sent = { ...all };
  delete sent.host;
  sent.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return sent;
}
