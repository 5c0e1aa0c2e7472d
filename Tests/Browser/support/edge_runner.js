'use strict';
// Runs the image server's deployed Lambda@Edge package the way one function instance runs:
// `node edge_runner.js <package dir> <emulator URL>` loads `<package dir>/index.js` (the code
// and the config.json imgstack zipped), then answers one viewer-request event per stdin line
// ({"id", "event"}) with one stdout line ({"id", "result"} or {"id", "error"}). Module state
// (the JWKS and identity caches) lives as long as the process, as in a warm instance.
//
// The function calls Cognito at https://cognito-idp.<region>.amazonaws.com and
// https://cognito-identity.<region>.amazonaws.com. Here those names resolve to the emulator: the
// request goes to it over plain HTTP with its Host header kept (moto routes by host), which is
// what a DNS override plus a TLS terminator in front of the emulator would do. The function's
// code is not touched.

const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const readline = require('node:readline');

const [packageDir, emulator] = process.argv.slice(2);
const target = new URL(emulator);

https.request = function request(url, options, callback) {
  const address = new URL(url);
  if (!address.hostname.endsWith('.amazonaws.com')) throw new Error(`the edge function called ${address.hostname}`);
  const headers = { ...(options.headers || {}), host: address.host };
  return http.request({
    ...options, protocol: 'http:', hostname: target.hostname, port: target.port, path: `${address.pathname}${address.search}`, headers,
  }, callback);
};

// The function logs with console.log (CloudWatch Logs on AWS); stdout carries the answers here.
console.log = (...values) => console.error(...values);

const { handler } = require(path.join(path.resolve(packageDir), 'index.js'));
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const { id, event } = JSON.parse(line);
  try {
    const result = await handler(event);
    process.stdout.write(`${JSON.stringify({ id, result })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id, error: String(error && error.stack || error) })}\n`);
  }
});
