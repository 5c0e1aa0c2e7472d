// The album page: who is signed in, the list of images, uploads and deletes.

import { Cognito, CognitoError, tokenFromFragment } from './cognito.js';
import { signRequest } from './sigv4.js';
import { parseListObjects, parseError, isImage, isOwn, objectKey, objectURL, displayName } from './album.js';

const config = window.IMAGE_SERVER_CONFIG;
const $ = (id) => document.getElementById(id);
const SESSION = 'image-server-session';
const GUEST = 'image-server-guest-identity';

function show(message, isError = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', isError);
}

function describe(error) {
  return error instanceof CognitoError ? `${error.message} (${error.code})` : error.message || String(error);
}

/** Tokens and identity of this tab: signed in, or a guest. */
class Session {
  constructor(cognito) {
    this.cognito = cognito;
    this.tokens = JSON.parse(sessionStorage.getItem(SESSION) || 'null');
    this.identity = null;
    this.credentials = null;
  }

  get signedIn() { return Boolean(this.tokens); }

  save(tokens) {
    this.tokens = tokens;
    this.identity = null;
    this.credentials = null;
    if (tokens) sessionStorage.setItem(SESSION, JSON.stringify(tokens)); else sessionStorage.removeItem(SESSION);
  }

  /** A current ID token, refreshed when it is about to expire; null for guests. */
  async idToken() {
    if (!this.tokens) return null;
    if (Date.now() > this.tokens.expiresAt - 60_000) {
      if (!this.tokens.refreshToken) { this.save(null); throw new Error('your sign-in expired; sign in again'); }
      this.save(await this.cognito.refresh(this.tokens.refreshToken));
    }
    return this.tokens.idToken;
  }

  /** The identity id: the user's own prefix, or a guest identity kept in this browser. */
  async identityId() {
    if (this.identity) return this.identity;
    const token = await this.idToken();
    if (!token && localStorage.getItem(GUEST)) {
      this.identity = localStorage.getItem(GUEST);
      return this.identity;
    }
    this.identity = await this.cognito.identityId(token);
    if (!token) localStorage.setItem(GUEST, this.identity);
    return this.identity;
  }

  /** Temporary credentials of the identity's role. */
  async awsCredentials() {
    if (this.credentials && Date.now() < this.credentials.expiration - 60_000) return this.credentials;
    this.credentials = await this.cognito.credentials(await this.identityId(), await this.idToken());
    return this.credentials;
  }
}

async function listImages(session) {
  const objects = [];
  let token;
  do {
    const url = new URL(`https://${config.bucket}.s3.${config.region}.amazonaws.com/`);
    url.searchParams.set('list-type', '2');
    if (token) url.searchParams.set('continuation-token', token);
    const headers = await signRequest({ method: 'GET', url: url.href, credentials: await session.awsCredentials(), region: config.region, service: 's3' });
    const answer = await fetch(url, { headers });
    const text = await answer.text();
    if (!answer.ok) {
      const error = parseError(text);
      throw new Error(`listing the album failed: ${error ? error.message : `HTTP ${answer.status}`}`);
    }
    const page = parseListObjects(text);
    objects.push(...page.objects);
    token = page.truncated ? page.nextToken : undefined;
  } while (token);
  return objects.filter((object) => isImage(object.key) && object.key.includes('/'));
}

/** PUT or DELETE through CloudFront, where the edge function checks the token and prefix. */
async function change(session, method, key, file) {
  const headers = { Authorization: `Bearer ${await session.idToken()}` };
  if (file) headers['Content-Type'] = file.type || 'application/octet-stream';
  const answer = await fetch(objectURL(config.cloudFrontDomain, key), { method, headers, body: file });
  if (!answer.ok) {
    let message = `HTTP ${answer.status}`;
    try { message = JSON.parse(await answer.text()).message || message; } catch { /* S3's XML or an empty body */ }
    throw new Error(message);
  }
}

async function render(session) {
  const identity = session.signedIn ? await session.identityId() : null;
  const images = await listImages(session);
  const album = $('album');
  album.replaceChildren();
  for (const image of images.sort((a, b) => b.lastModified.localeCompare(a.lastModified))) {
    const item = document.createElement('li');
    const picture = document.createElement('img');
    picture.src = objectURL(config.cloudFrontDomain, image.key);
    picture.alt = displayName(image.key);
    picture.loading = 'lazy';
    const name = document.createElement('p');
    name.textContent = displayName(image.key);
    item.append(picture, name);
    if (isOwn(image.key, identity)) {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Delete';
      remove.setAttribute('aria-label', `Delete ${displayName(image.key)}`);
      remove.addEventListener('click', () => run(session, `Deleting ${displayName(image.key)}…`, async () => {
        await change(session, 'DELETE', image.key);
        return `Deleted ${displayName(image.key)}.`;
      }));
      item.append(remove);
    }
    album.append(item);
  }
  $('empty').hidden = images.length > 0;
}

function updateAccount(session) {
  $('account').hidden = session.signedIn;
  $('upload').hidden = !session.signedIn;
  $('sign-out').hidden = !session.signedIn;
  $('who').textContent = session.signedIn ? 'Signed in: you can upload and delete your own images.' : 'Viewing as a guest.';
}

/** Runs an action with a status line, then shows the album again. */
async function run(session, doing, action) {
  show(doing);
  try {
    const done = await action();
    updateAccount(session);
    await render(session);
    show(done || '');
  } catch (error) {
    updateAccount(session);
    show(describe(error), true);
  }
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function start() {
  if (!config) {
    show('config.js is missing: deploy the site with `imgstack apply`, which writes it.', true);
    return;
  }
  const cognito = new Cognito(config);
  const session = new Session(cognito);
  const returned = tokenFromFragment(window.location.hash);
  if (returned) {
    session.save(returned);
    history.replaceState(null, '', window.location.pathname);
  }

  for (const provider of config.identityProviders || []) {
    const link = document.createElement('a');
    link.href = cognito.hostedSignInURL(provider, `${window.location.origin}/`);
    link.textContent = `Sign in with ${provider}`;
    $('federated').append(link);
  }

  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, password } = formValues(event.target);
    run(session, 'Signing in…', async () => {
      session.save(await cognito.signIn(email, password));
      event.target.reset();
      return 'Signed in.';
    });
  });
  $('sign-up').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, password } = formValues(event.target);
    run(session, 'Creating the account…', async () => {
      await cognito.signUp(email, password);
      $('confirm').elements.email.value = email;
      return 'Account created: enter the code Cognito mailed you.';
    });
  });
  $('confirm').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, code } = formValues(event.target);
    run(session, 'Confirming…', async () => {
      await cognito.confirmSignUp(email, code);
      return 'Confirmed: sign in now.';
    });
  });
  $('sign-out').addEventListener('click', () => run(session, 'Signing out…', async () => {
    session.save(null);
    return 'Signed out.';
  }));
  $('upload-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const files = Array.from(event.target.elements.files.files);
    run(session, `Uploading ${files.length} image(s)…`, async () => {
      const identity = await session.identityId();
      for (const file of files) await change(session, 'PUT', objectKey(identity, file.name), file);
      event.target.reset();
      return `Uploaded ${files.length} image(s).`;
    });
  });

  run(session, 'Loading the album…', async () => '');
}

start();
