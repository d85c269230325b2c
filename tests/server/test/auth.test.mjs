// The OpenID provider (Cognito stand-in) and the API's token checks, through
// real HTTP against bin/serve.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { generateKeyPair, SignJWT } from 'jose';

import { client } from './helpers/api.mjs';
import {
  authorizeUrl, browse, claimsOf, CookieJar, login, pkcePair, refresh, revoke, tokenRequest,
} from './helpers/login.mjs';
import { startServer } from './helpers/server.mjs';

const LOOPBACK = 'http://localhost:8765/callback';
const SCHEME = 'io.github.rehearse:/oauth2/callback';

let srv;
const creds = () => ({ issuer: srv.issuer, clientId: srv.client_id, email: srv.user, password: srv.password });

before(async () => {
  srv = await startServer({ REHEARSE_TEST_CALLBACK_PORT: '8765' });
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, 'serve.mjs exits 0 on SIGTERM');
});

describe('OpenID provider', () => {
  test('the ready line names every part', () => {
    for (const k of ['api', 'issuer', 'dynamodb']) assert.match(srv[k], /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(srv.client_id, 'rehearse-desktop');
    assert.equal(srv.user, 'learner@example.com');
    assert.ok(srv.password);
    assert.deepEqual(srv.redirect_uris, [SCHEME, LOOPBACK]);
  });

  test('discovery has Cognito\'s paths', async () => {
    const res = await fetch(`${srv.issuer}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const d = await res.json();
    assert.equal(d.issuer, srv.issuer);
    assert.equal(d.authorization_endpoint, `${srv.issuer}/oauth2/authorize`);
    assert.equal(d.token_endpoint, `${srv.issuer}/oauth2/token`);
    assert.equal(d.revocation_endpoint, `${srv.issuer}/oauth2/revoke`);
    assert.equal(d.userinfo_endpoint, `${srv.issuer}/oauth2/userInfo`);
    assert.equal(d.jwks_uri, `${srv.issuer}/.well-known/jwks.json`);
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    for (const s of ['openid', 'email', 'profile', 'offline_access']) assert.ok(d.scopes_supported.includes(s), s);
    const jwks = await (await fetch(d.jwks_uri)).json();
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].kty, 'RSA');
    assert.equal(jwks.keys[0].d, undefined, 'no private parts in the JWKS');
  });

  test('code flow with PKCE over the loopback redirect gives Cognito-like tokens', async () => {
    const t = await login({ ...creds(), redirectUri: LOOPBACK });
    assert.equal(t.token_type, 'Bearer');
    assert.ok(t.refresh_token, 'a refresh token is issued');
    const at = claimsOf(t.access_token);
    assert.equal(at.iss, srv.issuer);
    assert.equal(at.sub, srv.sub);
    assert.equal(at.client_id, srv.client_id);
    assert.equal(at.token_use, 'access');
    assert.equal(at.aud, srv.audience);
    assert.ok(at.scope.split(' ').includes('openid'));
    assert.ok(at.exp > Date.now() / 1000);
    const header = JSON.parse(Buffer.from(t.access_token.split('.')[0], 'base64url'));
    assert.equal(header.alg, 'RS256');
    assert.equal(header.typ, 'at+jwt');
    const id = claimsOf(t.id_token);
    assert.equal(id.sub, srv.sub);
    assert.equal(id.aud, srv.client_id);
    assert.equal(id.email, 'learner@example.com');
    assert.equal(id.email_verified, true);
    assert.equal(id.name, 'Test Learner');
    assert.equal(id.nonce, t.nonce);
    assert.ok(Math.abs(id.auth_time - Date.now() / 1000) < 60);
  });

  test('the app\'s URI-scheme redirect works too', async () => {
    const t = await login({ ...creds(), redirectUri: SCHEME });
    assert.ok(t.access_token);
  });

  test('the login form is plain HTML a browser can fill in', async () => {
    const { challenge } = pkcePair();
    const start = authorizeUrl({
      issuer: srv.issuer, clientId: srv.client_id, redirectUri: LOOPBACK, scope: 'openid', state: 's', nonce: 'n', challenge,
    });
    const err = await browse({ startUrl: start, redirectUri: LOOPBACK, jar: new CookieJar() }).catch((e) => e);
    const html = err.html;
    assert.match(html, /<input[^>]*name="login"/);
    assert.match(html, /<input[^>]*name="password"/);
    assert.match(html, /<button[^>]*type="submit"/);
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)/, 'no external resources');
  });

  test('a wrong password shows the form again with an error', async () => {
    const err = await login({ ...creds(), password: 'wrong' }).catch((e) => e);
    assert.match(err.message, /login form came back/);
    assert.match(err.html, /Incorrect username or password/);
  });

  test('an unregistered redirect URI is refused (exact match, as Cognito)', async () => {
    const { challenge } = pkcePair();
    for (const redirectUri of ['http://localhost:9999/callback', 'http://evil.example/callback']) {
      const res = await fetch(authorizeUrl({
        issuer: srv.issuer, clientId: srv.client_id, redirectUri, scope: 'openid', state: 's', nonce: 'n', challenge,
      }), { redirect: 'manual' });
      assert.equal(res.status, 400, redirectUri);
      assert.match(await res.text(), /redirect_mismatch/);
    }
  });

  test('PKCE is required', async () => {
    const url = new URL(authorizeUrl({
      issuer: srv.issuer, clientId: srv.client_id, redirectUri: LOOPBACK, scope: 'openid', state: 's', nonce: 'n',
    }));
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const loc = new URL(res.headers.get('location'));
    assert.equal(loc.searchParams.get('error'), 'invalid_request');
    assert.match(loc.searchParams.get('error_description'), /PKCE|code_challenge/);
  });

  test('a code works once and only with its verifier', async () => {
    const jar = new CookieJar();
    const { verifier, challenge } = pkcePair();
    const start = authorizeUrl({
      issuer: srv.issuer, clientId: srv.client_id, redirectUri: LOOPBACK, scope: 'openid offline_access', state: 'st', nonce: 'n', challenge,
    });
    const { callback } = await browse({ startUrl: start, redirectUri: LOOPBACK, jar, email: srv.user, password: srv.password });
    assert.equal(callback.searchParams.get('state'), 'st');
    assert.equal(callback.searchParams.get('iss'), srv.issuer);
    const code = callback.searchParams.get('code');
    const base = { grant_type: 'authorization_code', code, redirect_uri: LOOPBACK, client_id: srv.client_id };
    const bad = await tokenRequest(srv.issuer, { ...base, code_verifier: pkcePair().verifier });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'invalid_grant');
    const good = await tokenRequest(srv.issuer, { ...base, code_verifier: verifier });
    assert.equal(good.status, 200);
    const again = await tokenRequest(srv.issuer, { ...base, code_verifier: verifier });
    assert.equal(again.status, 400, 'a code works once');
    assert.equal(again.body.error, 'invalid_grant');
  });

  test('Cancel on the login page returns access_denied to the app', async () => {
    const jar = new CookieJar();
    const { challenge } = pkcePair();
    const start = authorizeUrl({
      issuer: srv.issuer, clientId: srv.client_id, redirectUri: LOOPBACK, scope: 'openid', state: 'c', nonce: 'n', challenge,
    });
    const err = await browse({ startUrl: start, redirectUri: LOOPBACK, jar }).catch((e) => e);
    const cancel = /href="([^"]+\/abort)"/.exec(err.html)[1];
    const { callback } = await browse({ startUrl: new URL(cancel, srv.issuer).href, redirectUri: LOOPBACK, jar });
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('state'), 'c');
  });

  test('/signup shows the sign-in form', async () => {
    const { challenge } = pkcePair();
    const start = authorizeUrl({
      issuer: srv.issuer, clientId: srv.client_id, redirectUri: LOOPBACK, scope: 'openid', state: 's', nonce: 'n', challenge, path: '/signup',
    });
    const err = await browse({ startUrl: start, redirectUri: LOOPBACK, jar: new CookieJar() }).catch((e) => e);
    assert.match(err.html, /name="login"/);
  });

  test('/oauth2/userInfo answers for an access token', async () => {
    const t = await login(creds());
    const res = await fetch(`${srv.issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    assert.equal(res.status, 200);
    const u = await res.json();
    assert.equal(u.sub, srv.sub);
    assert.equal(u.email, srv.user);
    assert.equal(u.email_verified, true);
    const bad = await fetch(`${srv.issuer}/oauth2/userInfo`, { headers: { authorization: 'Bearer x.y.z' } });
    assert.equal(bad.status, 401);
  });

  test('/logout ends the hosted-UI session and redirects to logout_uri', async () => {
    const jar = new CookieJar();
    await login({ ...creds(), jar });
    // With the session, a second sign-in needs no password.
    const { challenge } = pkcePair();
    const start = () => authorizeUrl({
      issuer: srv.issuer, clientId: srv.client_id, redirectUri: LOOPBACK, scope: 'openid', state: 's', nonce: 'n', challenge,
    });
    const silent = await browse({ startUrl: start(), redirectUri: LOOPBACK, jar });
    assert.ok(silent.callback.searchParams.get('code'));

    const bad = await fetch(`${srv.issuer}/logout?client_id=${srv.client_id}&logout_uri=${encodeURIComponent('http://evil.example/')}`,
      { redirect: 'manual', headers: { cookie: jar.header() } });
    assert.equal(bad.status, 400);

    const logoutUri = srv.logout_uris[1];
    const res = await fetch(`${srv.issuer}/logout?client_id=${srv.client_id}&logout_uri=${encodeURIComponent(logoutUri)}`,
      { redirect: 'manual', headers: { cookie: jar.header() } });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), logoutUri);
    jar.store(res);
    const err = await browse({ startUrl: start(), redirectUri: LOOPBACK, jar }).catch((e) => e);
    assert.match(err.html ?? '', /name="login"/, 'after /logout the login form is shown again');
  });

  test('refresh gives a new access token; a revoked refresh token is refused', async () => {
    const t = await login(creds());
    const r1 = await refresh({ issuer: srv.issuer, clientId: srv.client_id, refreshToken: t.refresh_token });
    assert.equal(r1.status, 200);
    assert.ok(r1.body.access_token);
    assert.ok(r1.body.id_token);
    const api = client(srv.api, r1.body.access_token);
    assert.equal((await api.getProfile()).status, 200);
    assert.equal(await revoke({ issuer: srv.issuer, clientId: srv.client_id, token: t.refresh_token }), 200);
    const r2 = await refresh({ issuer: srv.issuer, clientId: srv.client_id, refreshToken: t.refresh_token });
    assert.equal(r2.status, 400);
    assert.equal(r2.body.error, 'invalid_grant');
  });
});

describe('API token checks', () => {
  test('no token → 401 unauthorized', async () => {
    const r = await client(srv.api).getProfile();
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'unauthorized');
    assert.equal(typeof r.body.message, 'string');
    assert.match(r.headers.get('www-authenticate'), /^Bearer/);
  });

  test('garbage, forged, unsigned and ID tokens → 401 invalid_token', async () => {
    const t = await login(creds());
    const kid = JSON.parse(Buffer.from(t.access_token.split('.')[0], 'base64url')).kid;
    const claims = claimsOf(t.access_token);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' }).sign(privateKey);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${
      Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const tampered = t.access_token.split('.');
    tampered[1] = Buffer.from(JSON.stringify({ ...claims, sub: srv.users[1].sub })).toString('base64url');
    for (const [name, token] of [
      ['garbage', 'not-a-jwt'], ['forged', forged], ['unsigned', unsigned],
      ['tampered', tampered.join('.')], ['id token', t.id_token],
    ]) {
      const r = await client(srv.api, token).getProfile();
      assert.equal(r.status, 401, name);
      assert.equal(r.body.code, 'invalid_token', name);
    }
    const basic = await client(srv.api).call('GET', '/profile', undefined, { authorization: 'Basic Zm9vOmJhcg==' });
    assert.equal(basic.status, 401);
  });

  test('expired access token → 401 token_expired; a refreshed one works', async () => {
    const short = await startServer({ REHEARSE_ACCESS_TOKEN_TTL: '3' });
    try {
      const t = await login({ issuer: short.issuer, clientId: short.client_id, email: short.user, password: short.password });
      assert.equal(t.expires_in, 3);
      const { exp } = claimsOf(t.access_token);
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 + 1100 - Date.now())));
      const r = await client(short.api, t.access_token).getProfile();
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'token_expired');
      const fresh = await refresh({ issuer: short.issuer, clientId: short.client_id, refreshToken: t.refresh_token });
      assert.equal(fresh.status, 200);
      assert.equal((await client(short.api, fresh.body.access_token).getProfile()).status, 200);
      // A token from another issuer (this stack) is refused by the first stack.
      const other = await client(srv.api, fresh.body.access_token).getProfile();
      assert.equal(other.status, 401);
    } finally {
      await short.stop();
    }
  });
});
