// The Cognito calls the site makes: targets, bodies, logins, answers and errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Cognito, CognitoError, tokenFromFragment } from '../site/cognito.js';

const config = { region: 'eu-west-1', userPoolId: 'eu-west-1_Pool', clientId: 'client1', identityPoolId: 'eu-west-1:pool-uuid', hostedUIDomain: 'album-auth' };

function fake(answers) {
  const calls = [];
  const fetchFn = async (url, request) => {
    calls.push({ url, target: request.headers['X-Amz-Target'], type: request.headers['Content-Type'], body: JSON.parse(request.body) });
    const [status, body] = answers.shift();
    return { ok: status < 300, status, text: async () => JSON.stringify(body) };
  };
  return { calls, cognito: new Cognito(config, fetchFn) };
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
  assert.deepEqual(calls[0].body.AuthParameters, { REFRESH_TOKEN: 'refresh' });
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
  assert.equal(calls[1].body.ConfirmationCode, '123456');
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
  assert.deepEqual(calls[2].body, { IdentityPoolId: 'eu-west-1:pool-uuid' });
});

test('federated sign-in goes through the hosted UI and returns the ID token in the fragment', () => {
  const { cognito } = fake([]);
  const url = new URL(cognito.hostedSignInURL('Google', 'https://d1.cloudfront.net/'));
  assert.equal(url.host, 'album-auth.auth.eu-west-1.amazoncognito.com');
  assert.equal(url.pathname, '/oauth2/authorize');
  assert.equal(url.searchParams.get('identity_provider'), 'Google');
  assert.equal(url.searchParams.get('response_type'), 'token');
  assert.equal(url.searchParams.get('redirect_uri'), 'https://d1.cloudfront.net/');
  assert.equal(tokenFromFragment('#id_token=abc&access_token=def&expires_in=3600&token_type=Bearer').idToken, 'abc');
  assert.equal(tokenFromFragment('#error=access_denied'), null);
});
