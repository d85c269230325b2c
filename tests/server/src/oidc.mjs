// A stand-in for the Cognito hosted UI: npm `oidc-provider` on loopback with
// Cognito's paths, one public app client (PKCE S256 required, no secret),
// test users, a plain login form, JWT access tokens for the sync API, and
// Cognito's /logout and /signup.
//
//   GET  /.well-known/openid-configuration   discovery
//   GET  /.well-known/jwks.json              signing keys
//   GET  /oauth2/authorize                   → login form → redirect with ?code&state
//   POST /oauth2/token                       authorization_code (+PKCE), refresh_token
//   POST /oauth2/revoke                      revoke a refresh token
//   GET  /oauth2/userInfo                    claims for an access token
//   GET  /logout?client_id&logout_uri        end the hosted-UI session, redirect
//   GET  /signup?<authorize params>          the same login form (no real sign-up)

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';

import { createLocalJWKSet, jwtVerify } from 'jose';
import Provider, { errors as oidcErrors } from 'oidc-provider';

const HOST = '127.0.0.1';
export const SCOPES = ['openid', 'email', 'profile', 'offline_access'];
const API_SCOPES = 'openid email profile';

/** A stable UUID-shaped `sub` for an e-mail address (stable across restarts). */
export function subFor(email) {
  const h = createHash('sha256').update(`rehearse-test-user:${email.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

const STYLE = `body{font-family:sans-serif;background:#f4f4f6;margin:0;padding:40px 12px}
main{max-width:340px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3em;margin-top:0}label{display:block;margin:12px 0 4px}
input{width:100%;box-sizing:border-box;padding:8px;font-size:1em}
button{margin-top:16px;width:100%;padding:10px;font-size:1em;background:#3b6fd8;color:#fff;border:0;border-radius:4px}
.error{color:#b00020}.small{font-size:.85em;color:#555;margin-top:16px}`;

function page(title, content) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${content}</main></body></html>`;
}

function loginPage({ uid, error, login, clientName }) {
  return page('Sign in', `<h1>Sign in to ${esc(clientName)}</h1>
${error ? `<p class="error" id="error" role="alert">${esc(error)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label for="login">Email</label>
<input id="login" name="login" type="email" value="${esc(login)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button id="submit" type="submit" name="submit" value="signin">Sign in</button>
</form>
<p class="small"><a id="cancel" href="/interaction/${esc(uid)}/abort">Cancel</a></p>`);
}

function htmlResponse(res, status, html, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(html),
    ...headers,
  });
  res.end(html);
}

function jsonResponse(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), ...headers,
  });
  res.end(text);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function loadOrMakeKey(keyFile) {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `rehearse-${randomBytes(6).toString('hex')}`, use: 'sig', alg: 'RS256' };
  if (keyFile) writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

function safeEqual(a, b) {
  const x = createHash('sha256').update(String(a)).digest();
  const y = createHash('sha256').update(String(b)).digest();
  return timingSafeEqual(x, y);
}

/**
 * Starts the provider on 127.0.0.1.
 *
 * @param {object} o
 * @param {number} [o.port] 0 for any free port
 * @param {string} o.clientId
 * @param {string[]} o.redirectUris     matched exactly, as Cognito does
 * @param {string[]} o.logoutUris       allowed logout_uri values for /logout
 * @param {{email, password, name, sub}[]} o.users
 * @param {string} o.apiAudience         the `aud` of access tokens (resource indicator)
 * @param {{accessToken, idToken, refreshToken, authorizationCode, session}} o.ttl seconds
 * @param {boolean} [o.rotateRefreshTokens] Cognito keeps the refresh token by default
 * @param {boolean} [o.loopbackAnyPort] accept loopback redirects on any port (RFC 8252); Cognito does not
 * @param {string} [o.keyFile] keep the signing key in this file across restarts
 */
export async function startOidcProvider({
  port = 0, clientId, redirectUris, logoutUris, users, apiAudience, ttl,
  rotateRefreshTokens = false, loopbackAnyPort = false, keyFile,
}) {
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => { server.off('error', reject); resolve(); });
  });
  const issuer = `http://${HOST}:${server.address().port}`;
  const privateJwk = loadOrMakeKey(keyFile);
  const publicJwk = { ...createPublicKey(createPrivateKey({ key: privateJwk, format: 'jwk' })).export({ format: 'jwk' }), kid: privateJwk.kid, use: 'sig', alg: 'RS256' };
  const localJwks = createLocalJWKSet({ keys: [publicJwk] });
  const bySub = new Map(users.map((u) => [u.sub, u]));
  const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
  const userClaims = (u) => ({ sub: u.sub, email: u.email, email_verified: true, name: u.name });

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_name: 'Rehearse',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      scope: SCOPES.join(' '),
      require_auth_time: true, // Cognito's ID tokens carry auth_time
    }],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Cognito's ID tokens carry the user's claims, not just `sub`.
    conformIdTokenClaims: false,
    clientBasedCORS: () => false,
    pkce: { required: () => true },
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      revocation: '/oauth2/revoke',
      userinfo: '/oauth2/userInfo',
      jwks: '/.well-known/jwks.json',
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false }, // Cognito has /logout instead (below)
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => apiAudience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== apiAudience) throw new oidcErrors.InvalidTarget();
          return {
            scope: API_SCOPES,
            audience: apiAudience,
            accessTokenTTL: ttl.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    ttl: {
      AccessToken: () => ttl.accessToken,
      IdToken: () => ttl.idToken,
      RefreshToken: () => ttl.refreshToken,
      AuthorizationCode: () => ttl.authorizationCode,
      Session: () => ttl.session,
      Grant: () => ttl.refreshToken,
      Interaction: () => 3600,
    },
    // Cognito issues a refresh token on every code exchange and keeps it
    // valid when the hosted-UI session ends.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => rotateRefreshTokens,
    expiresWithSession: async () => false,
    extraTokenClaims: async (_ctx, token) => (
      token.kind === 'AccessToken' ? { token_use: 'access', username: token.accountId } : undefined
    ),
    findAccount: async (_ctx, sub) => {
      const u = bySub.get(sub);
      if (!u) return undefined;
      return { accountId: sub, claims: async () => userClaims(u) };
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<h1>Something went wrong</h1>
<p class="error" id="error">${esc(out.error)}</p><p>${esc(out.error_description)}</p>`);
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error:', err));

  const callback = provider.callback();

  async function interactionPage(req, res, uid, error, login) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new oidcErrors.SessionNotFound('interaction mismatch');
    if (details.prompt.name === 'login') {
      htmlResponse(res, 200, loginPage({ uid, error, login, clientName: 'Rehearse' }));
      return;
    }
    // Cognito asks no consent: grant what the app client asked for.
    const { prompt: { details: missing }, params, session } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, {
      mergeWithLastSubmission: true,
    });
  }

  async function login(req, res, uid) {
    const form = await readForm(req);
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new oidcErrors.SessionNotFound('interaction mismatch');
    const email = (form.get('login') ?? '').trim();
    const user = byEmail.get(email.toLowerCase());
    if (!user || !safeEqual(user.password, form.get('password') ?? '')) {
      htmlResponse(res, 200, loginPage({ uid, error: 'Incorrect username or password.', login: email, clientName: 'Rehearse' }));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.sub, amr: ['pwd'] } }, {
      mergeWithLastSubmission: false,
    });
  }

  async function abort(req, res) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'The user cancelled the sign-in',
    }, { mergeWithLastSubmission: false });
  }

  // Cognito's /logout: ends the hosted-UI session; tokens already issued stay.
  async function logout(req, res, url) {
    const q = url.searchParams;
    if (q.get('client_id') !== clientId) {
      htmlResponse(res, 400, page('Sign-out error', '<h1>Sign-out error</h1><p class="error" id="error">unknown client_id</p>'));
      return;
    }
    const logoutUri = q.get('logout_uri');
    const redirectUri = q.get('redirect_uri');
    if (logoutUri && !logoutUris.includes(logoutUri)) {
      htmlResponse(res, 400, page('Sign-out error', '<h1>Sign-out error</h1><p class="error" id="error">logout_uri is not an allowed sign-out URL</p>'));
      return;
    }
    const session = await provider.Session.get({ req, res, secure: false });
    if (session && !session.new) await session.destroy();
    const gone = 'Thu, 01 Jan 1970 00:00:00 GMT';
    const name = provider.cookieName('session');
    const headers = {
      'Set-Cookie': [`${name}=; path=/; expires=${gone}; httponly`, `${name}.sig=; path=/; expires=${gone}; httponly`],
      'Cache-Control': 'no-store',
    };
    if (logoutUri) {
      res.writeHead(302, { ...headers, Location: logoutUri, 'Content-Length': 0 });
      res.end();
    } else if (redirectUri && q.get('response_type')) {
      // Cognito's other form: sign out, then show the sign-in page again.
      const again = new URLSearchParams(q);
      res.writeHead(302, { ...headers, Location: `/oauth2/authorize?${again}`, 'Content-Length': 0 });
      res.end();
    } else {
      htmlResponse(res, 200, page('Signed out', '<h1>You are signed out</h1>'), headers);
    }
  }

  // /oauth2/userInfo as Cognito serves it: for the access token (oidc-provider's
  // own userinfo only takes tokens meant for it, and these are meant for the API).
  async function userInfo(req, res) {
    const m = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
    const fail = (desc) => jsonResponse(res, 401, { error: 'invalid_token', error_description: desc }, {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${desc}"`,
    });
    if (!m) { fail('access token required'); return; }
    let payload;
    try {
      ({ payload } = await jwtVerify(m[1], localJwks, { issuer, algorithms: ['RS256'] }));
    } catch (err) {
      fail(err.code === 'ERR_JWT_EXPIRED' ? 'access token expired' : 'access token invalid');
      return;
    }
    const u = bySub.get(payload.sub);
    if (payload.client_id !== clientId || payload.token_use !== 'access' || !u) { fail('access token invalid'); return; }
    jsonResponse(res, 200, { ...userClaims(u), username: u.sub });
  }

  function redirectMismatch(url) {
    if (loopbackAnyPort) return false;
    const q = url.searchParams;
    return q.get('client_id') === clientId && q.has('redirect_uri') && !redirectUris.includes(q.get('redirect_uri'));
  }

  server.on('request', async (req, res) => {
    let url;
    try {
      url = new URL(req.url, issuer);
    } catch {
      htmlResponse(res, 400, page('Bad request', '<h1>Bad request</h1>'));
      return;
    }
    const path = url.pathname;
    const method = req.method.toUpperCase();
    try {
      let m;
      if (path === '/oauth2/authorize' && method === 'GET' && redirectMismatch(url)) {
        htmlResponse(res, 400, page('Sign-in error', '<h1>Sign-in error</h1><p class="error" id="error">redirect_mismatch</p>'));
        return;
      }
      if ((m = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(path)) && method === 'GET') {
        await interactionPage(req, res, m[1]);
        return;
      }
      if ((m = /^\/interaction\/([A-Za-z0-9_-]+)\/login$/.exec(path)) && method === 'POST') {
        await login(req, res, m[1]);
        return;
      }
      if ((m = /^\/interaction\/([A-Za-z0-9_-]+)\/abort$/.exec(path)) && (method === 'GET' || method === 'POST')) {
        await abort(req, res);
        return;
      }
      if (path === '/logout' && method === 'GET') {
        await logout(req, res, url);
        return;
      }
      if (path === '/signup' && method === 'GET') {
        if (redirectMismatch(url)) {
          htmlResponse(res, 400, page('Sign-up error', '<h1>Sign-up error</h1><p class="error" id="error">redirect_mismatch</p>'));
          return;
        }
        res.writeHead(302, { Location: `/oauth2/authorize${url.search}`, 'Content-Length': 0 });
        res.end();
        return;
      }
      if (path === '/oauth2/userInfo' && (method === 'GET' || method === 'POST')) {
        await userInfo(req, res);
        return;
      }
    } catch (err) {
      if (err instanceof oidcErrors.SessionNotFound) {
        htmlResponse(res, 400, page('Sign-in error', '<h1>Sign-in error</h1><p class="error" id="error">The sign-in has expired or is not valid. Start again from the app.</p>'));
      } else {
        console.error('oidc:', err);
        if (!res.headersSent) htmlResponse(res, 500, page('Error', '<h1>Internal error</h1>'));
      }
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    provider,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
