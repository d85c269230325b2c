// The stack's settings, from environment variables (see README.md).

import { randomBytes } from 'node:crypto';

import { subFor } from './oidc.mjs';

function int(env, name, fallback, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

const flag = (env, name) => ['1', 'true', 'yes'].includes(String(env[name] ?? '').toLowerCase());
const list = (env, name) => (env[name] ? env[name].split(',').map((s) => s.trim()).filter(Boolean) : null);

export function configFromEnv(env = process.env) {
  const callbackPort = int(env, 'REHEARSE_TEST_CALLBACK_PORT', 8765, { min: 1, max: 65535 });
  const password = env.REHEARSE_TEST_PASSWORD || 'Rehearse-Test-Password-1';
  const mainEmail = env.REHEARSE_TEST_USER || 'learner@example.com';
  const users = [
    { email: mainEmail, password, name: env.REHEARSE_TEST_NAME || 'Test Learner' },
    { email: env.REHEARSE_TEST_USER2 || 'other@example.com', password, name: 'Other Learner' },
  ];
  if (env.REHEARSE_TEST_USERS) {
    const extra = JSON.parse(env.REHEARSE_TEST_USERS);
    if (!Array.isArray(extra)) throw new Error('REHEARSE_TEST_USERS must be a JSON array of {email, password, name}');
    users.push(...extra);
  }
  for (const u of users) {
    if (typeof u.email !== 'string' || typeof u.password !== 'string') throw new Error('each test user needs email and password');
    u.name ??= u.email.split('@')[0];
    u.sub ??= subFor(u.email);
  }
  const accessTtl = int(env, 'REHEARSE_ACCESS_TOKEN_TTL', 3600, { min: 1 });
  return {
    ports: {
      api: int(env, 'REHEARSE_API_PORT', 0, { max: 65535 }),
      oidc: int(env, 'REHEARSE_OIDC_PORT', 0, { max: 65535 }),
      dynamodb: int(env, 'REHEARSE_DYNAMODB_PORT', 0, { max: 65535 }),
    },
    clientId: env.REHEARSE_CLIENT_ID || 'rehearse-desktop',
    redirectUris: list(env, 'REHEARSE_REDIRECT_URIS')
      ?? ['io.github.rehearse:/oauth2/callback', `http://localhost:${callbackPort}/callback`],
    logoutUris: list(env, 'REHEARSE_LOGOUT_URIS')
      ?? ['io.github.rehearse:/oauth2/signout', `http://localhost:${callbackPort}/signout`],
    users,
    apiAudience: env.REHEARSE_API_AUDIENCE || 'urn:rehearse:sync-api',
    ttl: {
      accessToken: accessTtl,
      idToken: int(env, 'REHEARSE_ID_TOKEN_TTL', accessTtl, { min: 1 }),
      refreshToken: int(env, 'REHEARSE_REFRESH_TOKEN_TTL', 30 * 86400, { min: 1 }),
      authorizationCode: int(env, 'REHEARSE_AUTH_CODE_TTL', 300, { min: 1 }),
      session: int(env, 'REHEARSE_SESSION_TTL', 86400, { min: 1 }),
    },
    rotateRefreshTokens: flag(env, 'REHEARSE_ROTATE_REFRESH_TOKENS'),
    loopbackAnyPort: flag(env, 'REHEARSE_LOOPBACK_ANY_PORT'),
    keyFile: env.REHEARSE_OIDC_KEY_FILE || undefined,
    externalIssuer: env.REHEARSE_ISSUER || undefined,
    externalJwksUrl: env.REHEARSE_JWKS_URL || undefined,
    clockTolerance: int(env, 'REHEARSE_CLOCK_TOLERANCE', 0, { max: 300 }),
    admin: env.REHEARSE_TEST_ADMIN === '0' ? null : { secret: env.REHEARSE_TEST_ADMIN_SECRET || randomBytes(16).toString('hex') },
    faults: env.REHEARSE_FAULTS ? JSON.parse(env.REHEARSE_FAULTS) : null,
    dynamodb: {
      endpoint: env.DYNAMODB_ENDPOINT || undefined,
      useAws: flag(env, 'REHEARSE_USE_AWS'),
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      table: env.TABLE_NAME || 'rehearse',
      dynalitePath: env.DYNALITE_PATH || undefined,
    },
    leaseMs: int(env, 'REHEARSE_BATCH_LEASE_MS', 10000, { min: 100 }),
    gapGraceMs: int(env, 'REHEARSE_GAP_GRACE_MS', 1000, { min: 0 }),
  };
}
