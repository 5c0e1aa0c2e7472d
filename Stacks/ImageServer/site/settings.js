// The deploy-time settings: imgstack writes `config.js`, which sets window.IMAGE_SERVER_CONFIG.
// Checked once, so a missing or half-written file is one clear message, not a failed request.

const REQUIRED = ['region', 'bucket', 'cloudFrontDomain', 'userPoolId', 'clientId', 'identityPoolId'];

/** The services the page calls, by the name `endpoints` gives them (AWS's endpoint prefixes). */
export const SERVICES = ['s3', 'cognito-idp', 'cognito-identity'];

/** A config.js that is missing or incomplete. */
export class ConfigError extends Error {}

/**
 * The checked settings, with the optional federation fields and endpoints defaulted; throws ConfigError.
 * `endpoints` maps `s3`, `cognito-idp`, `cognito-identity` to the base URL the page calls instead of
 * AWS's own host (imgstack writes it when applied with `--endpoint-url` or `AWS_ENDPOINT_URL*`).
 * @returns {{region: string, bucket: string, cloudFrontDomain: string, userPoolId: string, clientId: string,
 *   identityPoolId: string, hostedUIDomain: string, identityProviders: string[], endpoints: Object<string, string>}}
 */
export function readConfig(value) {
  if (value === undefined || value === null || typeof value !== 'object') {
    throw new ConfigError('config.js is missing, so the album does not know its bucket or sign-in service. '
      + 'Deploy the site with `imgstack apply`, which writes config.js next to index.html.');
  }
  const missing = REQUIRED.filter((name) => typeof value[name] !== 'string' || value[name].trim() === '');
  if (missing.length > 0) {
    throw new ConfigError(`config.js lacks ${missing.join(', ')}; deploy the site again with \`imgstack apply\`.`);
  }
  const providers = Array.isArray(value.identityProviders) ? value.identityProviders.filter((name) => typeof name === 'string' && name) : [];
  return {
    ...Object.fromEntries(REQUIRED.map((name) => [name, value[name].trim()])),
    hostedUIDomain: typeof value.hostedUIDomain === 'string' ? value.hostedUIDomain.trim() : '',
    identityProviders: providers,
    endpoints: readEndpoints(value.endpoints),
  };
}

function readEndpoints(value) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError('config.js endpoints must be an object of URLs by service');
  const endpoints = {};
  for (const [service, url] of Object.entries(value)) {
    if (!SERVICES.includes(service)) throw new ConfigError(`config.js endpoints names ${service}, which the album does not call`);
    let parsed;
    try { parsed = new URL(url); } catch { parsed = null; }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
      throw new ConfigError(`config.js endpoints.${service} is not an http(s) URL: ${url}`);
    }
    endpoints[service] = String(url).replace(/\/+$/, '');
  }
  return endpoints;
}

/** The base URL of `service` (`s3`, `cognito-idp`, `cognito-identity`): the configured endpoint, else AWS's regional host. */
export function serviceURL(config, service) {
  return (config.endpoints && config.endpoints[service]) || `https://${service}.${config.region}.amazonaws.com`;
}

/** The providers to offer a "Sign in with …" link for: none without a hosted UI domain. */
export function federatedProviders(config) {
  return config.hostedUIDomain ? config.identityProviders : [];
}
