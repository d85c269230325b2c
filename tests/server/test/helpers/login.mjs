// Signs a test user in through the OpenID provider over plain HTTP, as a
// browser would: GET /oauth2/authorize (PKCE S256, state, nonce) → the login
// form → POST the credentials → follow the redirects to the app's redirect
// URI → exchange the code at /oauth2/token. Any test (Node or otherwise, via
// `node test/helpers/login.mjs`) can get real tokens this way.

import { createHash, randomBytes } from 'node:crypto';

export class CookieJar {
  constructor() { this.cookies = new Map(); }

  store(response) {
    for (const line of response.headers.getSetCookie?.() ?? []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function pkcePair() {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

export function authorizeUrl({ issuer, clientId, redirectUri, scope, state, nonce, challenge, path = '/oauth2/authorize', extra = {} }) {
  const url = new URL(path, issuer);
  const params = {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: challenge === undefined ? undefined : 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

function isRedirectTo(location, redirectUri) {
  return location.split('?')[0].split('#')[0] === redirectUri;
}

/**
 * Follows the browser part of a sign-in from `startUrl` until the provider
 * redirects to `redirectUri`. When the login form appears it is submitted
 * with the credentials (or the test's `onForm` decides). Returns
 * {callback: URL, pages: [html...]}.
 */
export async function browse({ startUrl, redirectUri, jar, email, password, maxSteps = 15 }) {
  let url = startUrl;
  let init = { method: 'GET' };
  const pages = [];
  for (let step = 0; step < maxSteps; step += 1) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: jar.header() },
    });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      if (isRedirectTo(location, redirectUri)) return { callback: new URL(location), pages };
      url = new URL(location, url).href;
      init = { method: 'GET' };
      continue;
    }
    const html = await res.text();
    pages.push(html);
    const form = /<form[^>]*id="login-form"[^>]*action="([^"]+)"/.exec(html);
    if (res.status === 200 && form && email !== undefined) {
      if (pages.filter((p) => p.includes('id="login-form"')).length > 1) {
        throw Object.assign(new Error('the login form came back: wrong credentials?'), { html, pages });
      }
      url = new URL(form[1].replace(/&amp;/g, '&'), url).href;
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: email, password }).toString(),
      };
      continue;
    }
    throw Object.assign(new Error(`sign-in stopped at ${url} with HTTP ${res.status}`), { status: res.status, html, pages });
  }
  throw new Error('too many redirects during sign-in');
}

export async function tokenRequest(issuer, params) {
  const res = await fetch(new URL('/oauth2/token', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const body = await res.json();
  return { status: res.status, body };
}

/**
 * Signs `email` in and returns the token response ({access_token, id_token,
 * refresh_token, expires_in, token_type, scope}) plus {jar, nonce, state}.
 */
export async function login({
  issuer, clientId, email, password,
  redirectUri = 'http://localhost:8765/callback',
  scope = 'openid email profile offline_access',
  jar = new CookieJar(),
  extra,
}) {
  const { verifier, challenge } = pkcePair();
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const startUrl = authorizeUrl({ issuer, clientId, redirectUri, scope, state, nonce, challenge, extra });
  const { callback } = await browse({ startUrl, redirectUri, jar, email, password });
  const q = callback.searchParams;
  if (q.get('error')) throw Object.assign(new Error(`sign-in refused: ${q.get('error')}`), { callback });
  if (q.get('state') !== state) throw new Error('state mismatch');
  const { status, body } = await tokenRequest(issuer, {
    grant_type: 'authorization_code',
    code: q.get('code'),
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
  });
  if (status !== 200) throw Object.assign(new Error(`token exchange failed: ${JSON.stringify(body)}`), { body });
  return { ...body, jar, nonce, state };
}

export async function refresh({ issuer, clientId, refreshToken }) {
  return tokenRequest(issuer, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
}

export async function revoke({ issuer, clientId, token, hint = 'refresh_token' }) {
  const res = await fetch(new URL('/oauth2/revoke', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: hint, client_id: clientId }).toString(),
  });
  return res.status;
}

/** Decodes a JWT's payload without checking it (tests look at claims). */
export function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

// `node test/helpers/login.mjs ISSUER CLIENT_ID EMAIL PASSWORD [REDIRECT_URI]`
// prints the token response as JSON (for shell-driven tests).
if (import.meta.url === `file://${process.argv[1]}`) {
  const [issuer, clientId, email, password, redirectUri] = process.argv.slice(2);
  if (!password) {
    process.stderr.write('usage: node test/helpers/login.mjs ISSUER CLIENT_ID EMAIL PASSWORD [REDIRECT_URI]\n');
    process.exit(2);
  }
  const { jar: _jar, ...tokens } = await login({ issuer, clientId, email, password, redirectUri });
  process.stdout.write(`${JSON.stringify(tokens)}\n`);
}
