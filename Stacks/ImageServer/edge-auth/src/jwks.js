'use strict';
// The user pool's signing keys, fetched once per function instance and again only when a
// token names a key not seen yet (Cognito rotated its keys).

class KeyStore {
  /**
   * @param {string} url the pool's `.well-known/jwks.json`.
   * @param {(url: string) => Promise<object>} fetchJSON
   */
  constructor(url, fetchJSON) {
    this.url = url;
    this.fetchJSON = fetchJSON;
    this.keys = null;
  }

  /** The JSON Web Key with id `kid`, or null when the pool has none by that id. */
  async key(kid) {
    if (this.keys === null || !this.keys.has(kid)) await this.refresh();
    return this.keys.get(kid) || null;
  }

  async refresh() {
    const document = await this.fetchJSON(this.url, { method: 'GET' });
    const keys = Array.isArray(document && document.keys) ? document.keys : [];
    this.keys = new Map(keys.filter((key) => typeof key.kid === 'string').map((key) => [key.kid, key]));
  }
}

module.exports = { KeyStore };
