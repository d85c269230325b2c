// The whole local cloud: DynamoDB (dynalite, or a real endpoint), the OpenID
// provider and the sync API, each on its own loopback port.

import { createVerifier } from './auth.mjs';
import { configFromEnv } from './config.mjs';
import { createDynamoClient, ensureTable, startDynalite } from './dynamo.mjs';
import { Faults } from './faults.mjs';
import { startApiServer } from './http-adapter.mjs';
import { startOidcProvider } from './oidc.mjs';
import { createRoutes } from './router.mjs';
import { Store } from './store.mjs';

/**
 * Starts everything; resolves to {info, stop}. `info` is what bin/serve.mjs
 * prints: the URLs, the client id and the test users.
 */
export async function startStack(config = configFromEnv()) {
  const closers = [];
  const stop = async () => {
    while (closers.length) {
      const close = closers.pop();
      try { await close(); } catch (err) { console.error('stop:', err.message); }
    }
  };
  try {
    const db = config.dynamodb;
    let endpoint = db.endpoint;
    const local = !endpoint && !db.useAws;
    if (local) {
      const dynalite = await startDynalite({ port: config.ports.dynamodb, path: db.dynalitePath });
      closers.push(dynalite.close);
      endpoint = dynalite.endpoint;
    }
    const client = createDynamoClient({ endpoint, region: db.region, local });
    closers.push(async () => client.destroy());
    await ensureTable(client, db.table);
    const store = new Store({ client, table: db.table, leaseMs: config.leaseMs, gapGraceMs: config.gapGraceMs });

    let issuer = config.externalIssuer;
    let jwksUrl = config.externalJwksUrl ?? (issuer && `${issuer}/.well-known/jwks.json`);
    if (!issuer) {
      const oidc = await startOidcProvider({
        port: config.ports.oidc,
        clientId: config.clientId,
        redirectUris: config.redirectUris,
        logoutUris: config.logoutUris,
        users: config.users,
        apiAudience: config.apiAudience,
        ttl: config.ttl,
        rotateRefreshTokens: config.rotateRefreshTokens,
        loopbackAnyPort: config.loopbackAnyPort,
        keyFile: config.keyFile,
      });
      closers.push(oidc.close);
      issuer = oidc.issuer;
      jwksUrl = oidc.jwksUrl;
    }

    const faults = new Faults();
    if (config.faults) faults.set(config.faults);
    const verify = createVerifier({
      issuer, jwksUrl, clientId: config.clientId, audience: config.apiAudience, clockTolerance: config.clockTolerance,
    });
    const routes = createRoutes({
      store,
      verify,
      hooks: { pushOptions: () => ({ stopAfter: faults.takeKillAfterChanges() }) },
    });
    const api = await startApiServer({
      routes,
      port: config.ports.api,
      faults,
      admin: config.admin ? { secret: config.admin.secret, store } : null,
    });
    closers.push(api.close);

    const [main] = config.users;
    const info = {
      api: api.url,
      issuer,
      dynamodb: endpoint ?? `aws:${db.region}`,
      client_id: config.clientId,
      user: main.email,
      password: main.password,
      sub: main.sub,
      users: config.users.map((u) => ({ email: u.email, password: u.password, name: u.name, sub: u.sub })),
      redirect_uris: config.redirectUris,
      logout_uris: config.logoutUris,
      scopes: ['openid', 'email', 'profile', 'offline_access'],
      audience: config.apiAudience,
      table: db.table,
      admin_secret: config.admin?.secret ?? null,
      pid: process.pid,
    };
    return { info, stop, store, faults };
  } catch (err) {
    await stop();
    throw err;
  }
}
