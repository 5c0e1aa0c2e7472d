// The deploy-time settings: imgstack writes `config.js`, which sets window.IMAGE_SERVER_CONFIG.
// Checked once, so a missing or half-written file is one clear message, not a failed request.

const REQUIRED = ['region', 'bucket', 'cloudFrontDomain', 'userPoolId', 'clientId', 'identityPoolId'];

/** A config.js that is missing or incomplete. */
export class ConfigError extends Error {}

/**
 * The checked settings, with the optional federation fields defaulted; throws ConfigError.
 * @returns {{region: string, bucket: string, cloudFrontDomain: string, userPoolId: string, clientId: string,
 *   identityPoolId: string, hostedUIDomain: string, identityProviders: string[]}}
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
  };
}

/** The providers to offer a "Sign in with …" link for: none without a hosted UI domain. */
export function federatedProviders(config) {
  return config.hostedUIDomain ? config.identityProviders : [];
}
