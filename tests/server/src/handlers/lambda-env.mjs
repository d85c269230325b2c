// For deploying a handler as a real Lambda function: its dependencies come
// from the environment (TABLE_NAME, DYNAMODB_ENDPOINT, AWS_REGION,
// REHEARSE_ISSUER, REHEARSE_CLIENT_ID, REHEARSE_API_AUDIENCE), built on the
// first call. The local stack passes its own dependencies instead.

import { createVerifier } from '../auth.mjs';
import { createDynamoClient } from '../dynamo.mjs';
import { Store } from '../store.mjs';

let shared;

function depsFromEnv() {
  const env = process.env;
  if (!env.REHEARSE_ISSUER || !env.REHEARSE_CLIENT_ID) {
    throw new Error('REHEARSE_ISSUER and REHEARSE_CLIENT_ID must be set');
  }
  const client = createDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION, local: false });
  return {
    store: new Store({ client, table: env.TABLE_NAME || 'rehearse' }),
    verify: createVerifier({
      issuer: env.REHEARSE_ISSUER,
      jwksUrl: env.REHEARSE_JWKS_URL || `${env.REHEARSE_ISSUER}/.well-known/jwks.json`,
      clientId: env.REHEARSE_CLIENT_ID,
      audience: env.REHEARSE_API_AUDIENCE,
    }),
  };
}

/** (deps => handler) → a handler whose deps come from the environment. */
export function lambda(factory) {
  let built;
  return async (event) => {
    shared ??= depsFromEnv();
    built ??= factory(shared);
    return built(event);
  };
}
