'use strict';
// Finds a signed-in user's identity id in the identity pool: the prefix they own, the same
// value IAM sees as ${cognito-identity.amazonaws.com:sub}. Answers are kept per user.

const CACHE_LIMIT = 1000;

class IdentityResolver {
  /**
   * @param {{region: string, userPoolId: string, identityPoolId: string}} config
   * @param {(url: string, request: object) => Promise<object>} fetchJSON
   */
  constructor(config, fetchJSON) {
    this.config = config;
    this.fetchJSON = fetchJSON;
    this.cache = new Map();
  }

  /** The identity id of the user whose verified ID token is `token` and whose `sub` is `sub`. */
  async identityId(sub, token) {
    const cached = this.cache.get(sub);
    if (cached) return cached;
    const { region, userPoolId, identityPoolId } = this.config;
    const answer = await this.fetchJSON(`https://cognito-identity.${region}.amazonaws.com/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityService.GetId',
      },
      body: JSON.stringify({
        IdentityPoolId: identityPoolId,
        Logins: { [`cognito-idp.${region}.amazonaws.com/${userPoolId}`]: token },
      }),
    });
    if (!answer || typeof answer.IdentityId !== 'string') throw new Error('GetId answered without an IdentityId');
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value);
    this.cache.set(sub, answer.IdentityId);
    return answer.IdentityId;
  }
}

module.exports = { IdentityResolver };
