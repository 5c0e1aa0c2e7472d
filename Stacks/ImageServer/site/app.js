// The album page: who is signed in, the list of images, uploads and deletes.

import { Cognito, CognitoError, newState, sessionNote, tokenFromFragment } from './cognito.js';
import { signRequest } from './sigv4.js';
import { listURL, ownPrefix, parseListObjects, parseError, isImage, isOwn, objectKey, objectPath, objectURL, displayName, uploadType } from './album.js';
import { readConfig, federatedProviders } from './settings.js';

const $ = (id) => document.getElementById(id);
const SESSION = 'image-server-session';
const GUEST = 'image-server-guest-identity';
const HOSTED_UI_STATE = 'image-server-hosted-ui-state';

function show(message, isError = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', isError);
}

function describe(error) {
  return error instanceof CognitoError ? `${error.message} (${error.code})` : error.message || String(error);
}

/** Tokens and identity of this tab: signed in, or a guest. Tokens stay in this tab's sessionStorage. */
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
      // The hosted UI's implicit flow gives no refresh token: that sign-in simply ends.
      if (!this.tokens.refreshToken) { this.save(null); throw new Error('your sign-in expired; sign in again'); }
      const refreshToken = this.tokens.refreshToken;
      try {
        this.save(await this.cognito.refresh(refreshToken));
      } catch (error) {
        if (error instanceof CognitoError && error.code === 'NotAuthorizedException') {
          this.save(null);
          throw new Error('your sign-in expired; sign in again');
        }
        throw error;
      }
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
    this.identity = await this.refusedSignInEnds(() => this.cognito.identityId(token));
    if (!token) localStorage.setItem(GUEST, this.identity);
    return this.identity;
  }

  /**
   * Runs a call with the ID token; when the identity pool refuses the token (tampered, or
   * from another pool), the sign-in ends here instead of failing every later call.
   */
  async refusedSignInEnds(call) {
    try {
      return await call();
    } catch (error) {
      if (!this.signedIn || !(error instanceof CognitoError) || error.code !== 'NotAuthorizedException') throw error;
      this.save(null);
      throw new Error('your sign-in is no longer valid; sign in again');
    }
  }

  /** Temporary credentials of the identity's role (guests: read-only). */
  async awsCredentials() {
    if (this.credentials && Date.now() < this.credentials.expiration - 60_000) return this.credentials;
    try {
      const identity = await this.identityId();
      this.credentials = await this.refusedSignInEnds(async () => this.cognito.credentials(identity, await this.idToken()));
    } catch (error) {
      // A guest identity kept from an identity pool since replaced is unknown to the new one: start afresh once.
      if (this.signedIn || !(error instanceof CognitoError) || !['ResourceNotFoundException', 'NotAuthorizedException'].includes(error.code)) throw error;
      localStorage.removeItem(GUEST);
      this.identity = null;
      this.credentials = await this.cognito.credentials(await this.identityId(), null);
    }
    return this.credentials;
  }
}

/** Every object under an owner's prefix in the bucket, or under `prefix`, page after page. */
async function listObjects(config, session, prefix) {
  const objects = [];
  let continuationToken;
  do {
    const url = listURL(config, { prefix, continuationToken });
    const headers = await signRequest({ method: 'GET', url, credentials: await session.awsCredentials(), region: config.region, service: 's3' });
    const answer = await fetch(url, { headers });
    const text = await answer.text();
    if (!answer.ok) {
      const error = parseError(text);
      throw new Error(`listing the album failed: ${error ? error.message : `HTTP ${answer.status}`}`);
    }
    const page = parseListObjects(text);
    objects.push(...page.objects);
    continuationToken = page.truncated ? page.nextToken : undefined;
  } while (continuationToken);
  // The site's own files sit at the top of the bucket; uploads are under their owners' prefixes.
  return objects.filter((object) => object.key.includes('/'));
}

/** PUT or DELETE through CloudFront (this page's origin), where the edge function checks the token and prefix. */
async function change(session, method, key, file) {
  const headers = { Authorization: `Bearer ${await session.idToken()}` };
  if (file) headers['Content-Type'] = uploadType(file);
  const answer = await fetch(objectPath(key), { method, headers, body: file });
  if (!answer.ok) {
    // The edge function answers {"message": …}; S3 answers XML.
    const text = await answer.text();
    let message = parseError(text)?.message || `HTTP ${answer.status}`;
    try { message = JSON.parse(text).message || message; } catch { /* not JSON: keep S3's message or the status */ }
    throw new Error(message);
  }
}

async function render(config, session) {
  const identity = session.signedIn ? await session.identityId() : null;
  const mineOnly = Boolean(identity) && $('mine-only').checked;
  const objects = await listObjects(config, session, mineOnly ? ownPrefix(identity) : undefined);
  // Only supported images are shown; a user's own other files (uploaded before the album took
  // images only) are listed by name, never opened, so that they can be deleted.
  const shown = objects.filter((object) => isImage(object.key) || isOwn(object.key, identity));
  const album = $('album');
  album.replaceChildren();
  for (const image of shown.sort((a, b) => b.lastModified.localeCompare(a.lastModified))) {
    const name = displayName(image.key);
    const item = document.createElement('li');
    const caption = document.createElement('p');
    caption.textContent = name;
    if (isImage(image.key)) {
      const picture = document.createElement('img');
      picture.src = objectURL(config.cloudFrontDomain, image.key);
      picture.alt = name;
      picture.loading = 'lazy';
      item.append(picture, caption);
    } else {
      const note = document.createElement('p');
      note.className = 'hint';
      note.textContent = 'Not a supported image: not shown.';
      item.append(caption, note);
    }
    if (isOwn(image.key, identity)) {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Delete';
      remove.setAttribute('aria-label', `Delete ${name}`);
      remove.addEventListener('click', () => {
        if (!window.confirm(`Delete ${name}?`)) return;
        run(config, session, `Deleting ${name}…`, async () => {
          await change(session, 'DELETE', image.key);
          return `Deleted ${name}.`;
        });
      });
      item.append(remove);
    }
    album.append(item);
  }
  $('empty').hidden = shown.length > 0;
}

function updateAccount(session) {
  $('account').hidden = session.signedIn;
  $('upload').hidden = !session.signedIn;
  $('sign-out').hidden = !session.signedIn;
  $('mine-only-label').hidden = !session.signedIn;
  $('who').textContent = sessionNote(session.tokens, (date) => date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
}

/** Runs an action with a status line, then shows the album again. */
async function run(config, session, doing, action) {
  show(doing);
  const wasSignedIn = session.signedIn;
  try {
    const done = await action();
    updateAccount(session);
    await render(config, session);
    show(done || '');
  } catch (error) {
    updateAccount(session);
    show(describe(error), true);
    // A refused token ended the sign-in: show the album as the guest now viewing it.
    if (wasSignedIn && !session.signedIn) {
      try { await render(config, session); } catch { /* the sign-in message above matters more */ }
    }
  }
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** Signs in with the ID token the hosted UI returned in the address fragment, if it did. */
function acceptHostedUIReturn(session) {
  const expected = sessionStorage.getItem(HOSTED_UI_STATE);
  const returned = tokenFromFragment(window.location.hash, expected);
  if (returned === null) return;
  sessionStorage.removeItem(HOSTED_UI_STATE);
  // The token must not stay in the address bar or the history.
  history.replaceState(null, '', window.location.pathname);
  session.save(returned);
}

function addFederatedLinks(config, cognito) {
  for (const provider of federatedProviders(config)) {
    const link = document.createElement('a');
    link.textContent = `Sign in with ${provider}`;
    link.href = '#';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      const state = newState();
      sessionStorage.setItem(HOSTED_UI_STATE, state);
      window.location.assign(cognito.hostedSignInURL(provider, `${window.location.origin}/`, state));
    });
    $('federated').append(link);
  }
}

function start() {
  let config;
  try {
    config = readConfig(window.IMAGE_SERVER_CONFIG);
  } catch (error) {
    show(error.message, true);
    $('account').hidden = true;
    return;
  }
  const cognito = new Cognito(config);
  const session = new Session(cognito);
  try {
    acceptHostedUIReturn(session);
  } catch (error) {
    history.replaceState(null, '', window.location.pathname);
    show(describe(error), true);
  }
  addFederatedLinks(config, cognito);

  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, password } = formValues(event.target);
    run(config, session, 'Signing in…', async () => {
      session.save(await cognito.signIn(email.trim(), password));
      event.target.reset();
      return 'Signed in.';
    });
  });
  $('sign-up').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, password } = formValues(event.target);
    run(config, session, 'Creating the account…', async () => {
      await cognito.signUp(email.trim(), password);
      event.target.elements.password.value = '';
      $('confirm').elements.email.value = email.trim();
      $('confirm').elements.code.focus();
      return 'Account created: enter the code Cognito mailed you.';
    });
  });
  $('confirm').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, code } = formValues(event.target);
    run(config, session, 'Confirming…', async () => {
      await cognito.confirmSignUp(email.trim(), code.trim());
      return 'Confirmed: sign in now.';
    });
  });
  $('resend-code').addEventListener('click', () => {
    const email = $('confirm').elements.email;
    if (!email.reportValidity()) return;
    run(config, session, 'Sending the code again…', async () => {
      await cognito.resendConfirmationCode(email.value.trim());
      $('confirm').elements.code.focus();
      return 'A new code is on its way: enter it above.';
    });
  });
  $('forgot').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email } = formValues(event.target);
    run(config, session, 'Asking for a reset code…', async () => {
      await cognito.forgotPassword(email.trim());
      $('reset').elements.email.value = email.trim();
      $('reset').elements.code.focus();
      return 'If the account exists, a reset code is on its way: enter it with a new password.';
    });
  });
  $('reset').addEventListener('submit', (event) => {
    event.preventDefault();
    const { email, code, password } = formValues(event.target);
    run(config, session, 'Setting the new password…', async () => {
      await cognito.confirmForgotPassword(email.trim(), code.trim(), password);
      event.target.reset();
      return 'Password changed: sign in with it now.';
    });
  });
  $('sign-out').addEventListener('click', () => run(config, session, 'Signing out…', async () => {
    session.save(null);
    $('mine-only').checked = false;
    return 'Signed out.';
  }));
  $('mine-only').addEventListener('change', () => run(config, session, 'Loading the album…', async () => ''));
  $('upload-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const files = Array.from(event.target.elements.files.files);
    run(config, session, `Uploading ${files.length} image(s)…`, async () => {
      // Every file is checked before the first upload, so one that is not a supported image
      // (SVG, HTML, HEIC, BMP, TIFF…) or has a bad name uploads nothing.
      files.forEach(uploadType);
      const identity = await session.identityId();
      const keys = files.map((file) => objectKey(identity, file.name));
      for (const [index, file] of files.entries()) await change(session, 'PUT', keys[index], file);
      event.target.reset();
      return `Uploaded ${files.length} image(s).`;
    });
  });

  updateAccount(session);
  run(config, session, 'Loading the album…', async () => '');
}

start();
