// The Cognito calls the site makes: targets, bodies, logins, answers and errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { Cognito, CognitoError, newState, sessionNote, tokenFromFragment } from '../site/cognito.js';

// Browsers have WebCrypto as a global; Node has it there only from version 19.
globalThis.crypto ??= webcrypto;

const config = { region: 'eu-west-1', userPoolId: 'eu-west-1_Pool', clientId: 'client1', identityPoolId: 'eu-west-1:pool-uuid', hostedUIDomain: 'album-auth' };

function fake(answers, settings = config) {
  const calls = [];
  const fetchFn = async (url, request) => {
    calls.push({ url, target: request.headers['X-Amz-Target'], type: request.headers['Content-Type'], body: JSON.parse(request.body) });
    const [status, body] = answers.shift();
    return { ok: status < 300, status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  };
  return { calls, cognito: new Cognito(settings, fetchFn) };
}

test('sign-in uses USER_PASSWORD_AUTH on the user pool and returns the tokens', async () => {
  const { calls, cognito } = fake([[200, { AuthenticationResult: { IdToken: 'id', RefreshToken: 'refresh', ExpiresIn: 3600 } }]]);
  const tokens = await cognito.signIn('me@example.com', 'Secret#123');
  assert.equal(calls[0].url, 'https://cognito-idp.eu-west-1.amazonaws.com/');
  assert.equal(calls[0].target, 'AWSCognitoIdentityProviderService.InitiateAuth');
  assert.equal(calls[0].type, 'application/x-amz-json-1.1');
  assert.deepEqual(calls[0].body, { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client1', AuthParameters: { USERNAME: 'me@example.com', PASSWORD: 'Secret#123' } });
  assert.equal(tokens.idToken, 'id');
  assert.equal(tokens.refreshToken, 'refresh');
  assert.ok(tokens.expiresAt > Date.now());
});

test('a refresh keeps the refresh token Cognito does not send again', async () => {
  const { calls, cognito } = fake([[200, { AuthenticationResult: { IdToken: 'id2', ExpiresIn: 60 } }]]);
  const tokens = await cognito.refresh('refresh');
  assert.equal(calls[0].target, 'AWSCognitoIdentityProviderService.InitiateAuth');
  assert.deepEqual(calls[0].body, { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'client1', AuthParameters: { REFRESH_TOKEN: 'refresh' } });
  assert.equal(tokens.idToken, 'id2');
  assert.equal(tokens.refreshToken, 'refresh');
});

test('a wrong password is a CognitoError with its code', async () => {
  const { cognito } = fake([[400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }]]);
  await assert.rejects(cognito.signIn('me@example.com', 'nope'), (error) => error instanceof CognitoError
    && error.code === 'NotAuthorizedException' && error.message === 'Incorrect username or password.');
});

test('a challenge the album cannot answer is a clear error', async () => {
  const { cognito } = fake([[200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' }]]);
  await assert.rejects(cognito.signIn('me@example.com', 'temp'), /NEW_PASSWORD_REQUIRED/);
});

test('sign-up sends the email attribute; confirmation sends the code', async () => {
  const { calls, cognito } = fake([[200, { UserSub: 'sub' }], [200, {}]]);
  await cognito.signUp('me@example.com', 'Secret#123');
  await cognito.confirmSignUp('me@example.com', '123456');
  assert.equal(calls[0].target, 'AWSCognitoIdentityProviderService.SignUp');
  assert.deepEqual(calls[0].body.UserAttributes, [{ Name: 'email', Value: 'me@example.com' }]);
  assert.equal(calls[1].target, 'AWSCognitoIdentityProviderService.ConfirmSignUp');
  assert.deepEqual(calls[0].body, { ClientId: 'client1', Username: 'me@example.com', Password: 'Secret#123', UserAttributes: [{ Name: 'email', Value: 'me@example.com' }] });
  assert.deepEqual(calls[1].body, { ClientId: 'client1', Username: 'me@example.com', ConfirmationCode: '123456' });
});

test('signed-in identities log in with the user pool token; guests without', async () => {
  const { calls, cognito } = fake([
    [200, { IdentityId: 'eu-west-1:user' }],
    [200, { Credentials: { AccessKeyId: 'ASIA', SecretKey: 'secret', SessionToken: 'token', Expiration: 1900000000 } }],
    [200, { IdentityId: 'eu-west-1:guest' }],
  ]);
  assert.equal(await cognito.identityId('id-token'), 'eu-west-1:user');
  const credentials = await cognito.credentials('eu-west-1:user', 'id-token');
  assert.equal(await cognito.identityId(null), 'eu-west-1:guest');
  assert.equal(calls[0].url, 'https://cognito-identity.eu-west-1.amazonaws.com/');
  assert.equal(calls[0].target, 'AWSCognitoIdentityService.GetId');
  assert.deepEqual(calls[0].body, { IdentityPoolId: 'eu-west-1:pool-uuid', Logins: { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool': 'id-token' } });
  assert.equal(calls[1].target, 'AWSCognitoIdentityService.GetCredentialsForIdentity');
  assert.deepEqual(credentials, { accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token', expiration: 1900000000000 });
  assert.deepEqual(calls[1].body, { IdentityId: 'eu-west-1:user', Logins: { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool': 'id-token' } });
  assert.deepEqual(calls[2].body, { IdentityPoolId: 'eu-west-1:pool-uuid' }, 'guests send no Logins');
});

test('federated sign-in goes through the hosted UI with a state', () => {
  const { cognito } = fake([]);
  const url = new URL(cognito.hostedSignInURL('Google', 'https://d1.cloudfront.net/', 'state-1'));
  assert.equal(url.origin, 'https://album-auth.auth.eu-west-1.amazoncognito.com');
  assert.equal(url.pathname, '/oauth2/authorize');
  assert.equal(url.searchParams.get('identity_provider'), 'Google');
  assert.equal(url.searchParams.get('client_id'), 'client1');
  assert.equal(url.searchParams.get('response_type'), 'token');
  assert.equal(url.searchParams.get('scope'), 'openid email profile');
  assert.equal(url.searchParams.get('redirect_uri'), 'https://d1.cloudfront.net/');
  assert.equal(url.searchParams.get('state'), 'state-1');
  assert.match(url.search, /scope=openid\+email\+profile/);
});

test('the hosted UI return gives the ID token only for the state this page sent', () => {
  const fragment = '#id_token=abc&access_token=def&expires_in=3600&token_type=Bearer&state=state-1';
  const tokens = tokenFromFragment(fragment, 'state-1');
  assert.equal(tokens.idToken, 'abc');
  assert.equal(tokens.refreshToken, undefined);
  assert.ok(tokens.expiresAt > Date.now() + 3_000_000);
  assert.throws(() => tokenFromFragment(fragment, 'state-2'), (error) => error.code === 'StateMismatch');
  assert.throws(() => tokenFromFragment(fragment, null), (error) => error.code === 'StateMismatch');
  assert.throws(() => tokenFromFragment('#error=access_denied&error_description=User+cancelled&state=s', 's'),
    (error) => error.code === 'access_denied' && error.message === 'User cancelled');
  assert.equal(tokenFromFragment('', 'state-1'), null);
  assert.equal(tokenFromFragment('#section-2', 'state-1'), null);
});

test('states are random hex', () => {
  const [a, b] = [newState(), newState()];
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, b);
});

test('an answer that is not JSON is still a CognitoError with the HTTP status', async () => {
  const { cognito } = fake([[503, '<html>Service Unavailable</html>']]);
  await assert.rejects(cognito.identityId(null), (error) => error instanceof CognitoError && error.code === 'HTTP 503');
});

test('errors answered with a namespaced __type keep only the code', async () => {
  const { cognito } = fake([[400, { __type: 'com.amazonaws.cognito#UsernameExistsException', message: 'An account with the given email already exists.' }]]);
  await assert.rejects(cognito.signUp('me@example.com', 'Secret#123'), (error) => error.code === 'UsernameExistsException');
});

test('credentials missing from an answer are an error, not undefined keys', async () => {
  const { cognito } = fake([[200, {}]]);
  await assert.rejects(cognito.credentials('eu-west-1:guest', null), (error) => error.code === 'NoCredentials');
});

test('resending the sign-up code and resetting a password call the user pool with the app client', async () => {
  const { calls, cognito } = fake([[200, { CodeDeliveryDetails: {} }], [200, { CodeDeliveryDetails: {} }], [200, {}]]);
  await cognito.resendConfirmationCode('me@example.com');
  await cognito.forgotPassword('me@example.com');
  await cognito.confirmForgotPassword('me@example.com', '654321', 'New#Secret1');
  assert.deepEqual(calls.map((call) => call.target), ['AWSCognitoIdentityProviderService.ResendConfirmationCode',
    'AWSCognitoIdentityProviderService.ForgotPassword', 'AWSCognitoIdentityProviderService.ConfirmForgotPassword']);
  assert.deepEqual(calls[0].body, { ClientId: 'client1', Username: 'me@example.com' });
  assert.deepEqual(calls[1].body, { ClientId: 'client1', Username: 'me@example.com' });
  assert.deepEqual(calls[2].body, { ClientId: 'client1', Username: 'me@example.com', ConfirmationCode: '654321', Password: 'New#Secret1' });
});

test('a reset with a wrong code is a CognitoError with its code', async () => {
  const { cognito } = fake([[400, { __type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' }]]);
  await assert.rejects(cognito.confirmForgotPassword('me@example.com', '000000', 'New#Secret1'),
    (error) => error instanceof CognitoError && error.code === 'CodeMismatchException');
});

test('configured endpoints take the calls; the identity pool login key stays the user pool issuer', async () => {
  const settings = { ...config, endpoints: { 'cognito-idp': 'http://127.0.0.1:4566', 'cognito-identity': 'http://127.0.0.1:4567' } };
  const { calls, cognito } = fake([[200, { UserSub: 'sub' }], [200, { IdentityId: 'eu-west-1:id' }]], settings);
  await cognito.signUp('me@example.com', 'Secret#123');
  await cognito.identityId('token');
  assert.equal(calls[0].url, 'http://127.0.0.1:4566/');
  assert.equal(calls[1].url, 'http://127.0.0.1:4567/');
  assert.deepEqual(calls[1].body.Logins, { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool': 'token' });
});

test('a hosted UI sign-in says how long it lasts; a password sign-in does not need to', () => {
  const at = Date.UTC(2026, 11, 1, 14, 5);
  const time = (date) => date.toISOString().slice(11, 16);
  assert.equal(sessionNote(null, time), 'Viewing as a guest.');
  assert.equal(sessionNote({ idToken: 'id', refreshToken: 'refresh', expiresAt: at }, time), 'Signed in: you can upload and delete your own images.');
  const federated = sessionNote({ idToken: 'id', refreshToken: undefined, expiresAt: at }, time);
  assert.match(federated, /^Signed in until 14:05: /);
  assert.match(federated, /lasts one hour; then sign in again/);
});
