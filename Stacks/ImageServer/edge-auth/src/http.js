'use strict';
// A small JSON-over-HTTPS client for the two calls the function makes (the JWKS and GetId).

const https = require('node:https');

const TIMEOUT_MS = 2000;

/**
 * Sends a request and parses the JSON answer.
 * @returns {Promise<object>} rejects on a network error, a timeout or a non-2xx status
 *   (the Error carries `statusCode`).
 */
function fetchJSON(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method, headers, timeout: TIMEOUT_MS }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (answer.statusCode < 200 || answer.statusCode >= 300) {
          const error = new Error(`${method} ${new URL(url).host} answered ${answer.statusCode}`);
          error.statusCode = answer.statusCode;
          reject(error);
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`${method} ${new URL(url).host} answered with something other than JSON`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`${method} ${new URL(url).host} took longer than ${TIMEOUT_MS} ms`)));
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

module.exports = { fetchJSON };
