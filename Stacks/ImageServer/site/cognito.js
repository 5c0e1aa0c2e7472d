// Sign-up, sign-in and credentials: the Cognito user pool and identity pool APIs are public
// (unsigned) JSON APIs, so plain fetch calls are enough.

import { serviceURL } from './settings.js';

/** An error answered by Cognito, with its code (`NotAuthorizedException`, …). */
export class CognitoError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

/** The user pool and identity pool calls of the album, with `fetch` injected for the tests. */
export class Cognito {
  /**
   * @param {{region: string, userPoolId: string, clientId: string, identityPoolId: string,
   *          hostedUIDomain?: string, endpoints?: Object<string, string>}} config
   * @param {typeof fetch} fetchFn
   */
  constructor(config, fetchFn = (...args) => fetch(...args)) {
    this.config = config;
    this.fetch = fetchFn;
  }

  /** The identity pool's login key for this user pool. */
  get provider() {
    return `cognito-idp.${this.config.region}.amazonaws.com/${this.config.userPoolId}`;
  }

  async call(service, target, body) {
    const name = service === 'idp' ? 'cognito-idp' : 'cognito-identity';
    const prefix = service === 'idp' ? 'AWSCognitoIdentityProviderService' : 'AWSCognitoIdentityService';
    const answer = await this.fetch(`${serviceURL(this.config, name)}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `${prefix}.${target}` },
      body: JSON.stringify(body),
    });
    const data = parseJSON(await answer.text());
    if (!answer.ok) {
      const code = String(data.__type || `HTTP ${answer.status}`).split('#').pop();
      throw new CognitoError(code, data.message || data.Message);
    }
    return data;
  }

  /** Registers `email`; Cognito mails a confirmation code. */
  signUp(email, password) {
    return this.call('idp', 'SignUp', {
      ClientId: this.config.clientId, Username: email, Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
  }

  /** Confirms a sign-up with the mailed code. */
  confirmSignUp(email, code) {
    return this.call('idp', 'ConfirmSignUp', { ClientId: this.config.clientId, Username: email, ConfirmationCode: code });
  }

  /** Mails the sign-up confirmation code again (Cognito `ResendConfirmationCode`). */
  resendConfirmationCode(email) {
    return this.call('idp', 'ResendConfirmationCode', { ClientId: this.config.clientId, Username: email });
  }

  /** Starts a password reset: Cognito mails a code to the account's verified email (`ForgotPassword`). */
  forgotPassword(email) {
    return this.call('idp', 'ForgotPassword', { ClientId: this.config.clientId, Username: email });
  }

  /** Sets a new password with the mailed reset code (`ConfirmForgotPassword`). */
  confirmForgotPassword(email, code, password) {
    return this.call('idp', 'ConfirmForgotPassword', {
      ClientId: this.config.clientId, Username: email, ConfirmationCode: code, Password: password,
    });
  }

  /** Signs in with a password. @returns {Promise<{idToken: string, refreshToken?: string, expiresAt: number}>} */
  async signIn(email, password) {
    const answer = await this.call('idp', 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: this.config.clientId, AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    return tokens(answer, undefined);
  }

  /** New tokens from a refresh token. */
  async refresh(refreshToken) {
    const answer = await this.call('idp', 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: this.config.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    return tokens(answer, refreshToken);
  }

  /** The identity id: the signed-in user's (with their ID token) or a guest's. */
  async identityId(idToken) {
    const body = { IdentityPoolId: this.config.identityPoolId };
    if (idToken) body.Logins = { [this.provider]: idToken };
    return (await this.call('identity', 'GetId', body)).IdentityId;
  }

  /** Temporary AWS credentials of the identity's role (guest: read-only). */
  async credentials(identityId, idToken) {
    const body = { IdentityId: identityId };
    if (idToken) body.Logins = { [this.provider]: idToken };
    const { Credentials: c } = await this.call('identity', 'GetCredentialsForIdentity', body);
    if (!c) throw new CognitoError('NoCredentials', 'the identity pool answered without credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: Number(c.Expiration) * 1000 };
  }

  /**
   * The hosted UI address that signs in through `provider` (`Google`, `Facebook`) and returns to
   * `redirectURI` with the tokens in the fragment. `state` comes back with them: the page keeps it
   * and accepts only the answer to its own request.
   */
  hostedSignInURL(provider, redirectURI, state) {
    const query = new URLSearchParams({
      identity_provider: provider, client_id: this.config.clientId, response_type: 'token',
      scope: 'openid email profile', redirect_uri: redirectURI, state,
    });
    return `https://${this.config.hostedUIDomain}.auth.${this.config.region}.amazoncognito.com/oauth2/authorize?${query}`;
  }
}

function tokens(answer, previousRefreshToken) {
  const result = answer.AuthenticationResult;
  if (!result) {
    throw new CognitoError(answer.ChallengeName || 'ChallengeRequired',
      `Cognito asks for ${answer.ChallengeName || 'another step'}, which this album does not handle; ask an administrator`);
  }
  return {
    idToken: result.IdToken,
    refreshToken: result.RefreshToken || previousRefreshToken,
    expiresAt: Date.now() + Number(result.ExpiresIn || 3600) * 1000,
  };
}

// Cognito's error answers are JSON; a proxy or an outage may answer HTML or nothing.
function parseJSON(text) {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/**
 * What the hosted UI put in the address fragment on its way back (`#id_token=…&expires_in=…&state=…`
 * or `#error=…&error_description=…`): null when the fragment is not such an answer, the tokens
 * when it answers the request this page made (`expectedState`); a CognitoError otherwise. A token
 * with another state is refused, so a link carrying someone else's token cannot sign the visitor
 * in to that account.
 */
export function tokenFromFragment(fragment, expectedState) {
  const values = new URLSearchParams(String(fragment).replace(/^#/, ''));
  const idToken = values.get('id_token');
  const error = values.get('error');
  if (!idToken && !error) return null;
  if (!expectedState || values.get('state') !== expectedState) {
    throw new CognitoError('StateMismatch', 'this sign-in was not started from this page; sign in again');
  }
  if (error) throw new CognitoError(error, values.get('error_description') || `the sign-in was refused (${error})`);
  return { idToken, refreshToken: undefined, expiresAt: Date.now() + Number(values.get('expires_in') || 3600) * 1000 };
}

/**
 * What the page says about a session. A password sign-in is renewed with its refresh token; a
 * Google or Facebook sign-in through the hosted UI's implicit flow has no refresh token, so it
 * lasts one ID token lifetime (an hour by default) and the page says until when.
 * @param {{refreshToken?: string, expiresAt: number}|null} tokens
 * @param {(date: Date) => string} formatTime
 */
export function sessionNote(tokens, formatTime) {
  if (!tokens) return 'Viewing as a guest.';
  if (tokens.refreshToken) return 'Signed in: you can upload and delete your own images.';
  return `Signed in until ${formatTime(new Date(tokens.expiresAt))}: you can upload and delete your own images. `
    + 'A Google or Facebook sign-in lasts one hour; then sign in again.';
}

/** A random value for the hosted UI's `state`, from the platform's secure generator. */
export function newState() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
