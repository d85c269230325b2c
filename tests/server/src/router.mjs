// The API's routes, as API Gateway would map "METHOD /path" route keys to
// Lambda functions.

import { createPullHandler } from './handlers/pull.mjs';
import { createPushHandler } from './handlers/push.mjs';
import { createGetProfileHandler, createPutProfileHandler } from './handlers/profile.mjs';

export const PUSH_ROUTE = 'POST /sync/push';
export const PULL_ROUTE = 'GET /sync/pull';

/** @param {{store, verify, hooks?}} deps */
export function createRoutes(deps) {
  return {
    'GET /profile': createGetProfileHandler(deps),
    'PUT /profile': createPutProfileHandler(deps),
    [PUSH_ROUTE]: createPushHandler(deps),
    [PULL_ROUTE]: createPullHandler(deps),
  };
}
