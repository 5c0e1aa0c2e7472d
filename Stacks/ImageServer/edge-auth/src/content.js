'use strict';
// What an upload may be: only the raster image types the album shows, each under a key whose
// extension names the same type. Anything else (SVG, HTML, scripts) would be served from the
// album's own origin, where a browser could run it with the album's session.

const TYPES_BY_EXTENSION = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** The media type of a Content-Type header value (`image/png; x=y` → `image/png`), lower-cased. */
function mediaType(value) {
  return String(value || '').split(';')[0].trim().toLowerCase();
}

/**
 * Why an upload of `key` with the Content-Type header `contentType` is refused, or null when
 * it is allowed.
 */
function uploadRefusal(key, contentType) {
  const allowed = 'JPEG, PNG, GIF or WebP';
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const expected = TYPES_BY_EXTENSION[extension];
  if (!expected) return `only ${allowed} images may be uploaded: the key must end in .jpg, .jpeg, .png, .gif or .webp`;
  const type = mediaType(contentType);
  if (!type) return `the upload needs a Content-Type header (${expected} for .${extension})`;
  if (!Object.values(TYPES_BY_EXTENSION).includes(type)) {
    return `only ${allowed} images may be uploaded, not ${type.replace(/[^\w.+\/-]/g, '?')}`;
  }
  if (type !== expected) return `the Content-Type ${type} does not match the .${extension} extension (${expected})`;
  return null;
}

module.exports = { TYPES_BY_EXTENSION, mediaType, uploadRefusal };
