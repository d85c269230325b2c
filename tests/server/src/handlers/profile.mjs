// GET /profile and PUT /profile: the learner's display name and study settings.

import { validateProfilePatch } from '../sync-model.mjs';
import { authenticated, json, parseBody } from './common.mjs';
import { lambda } from './lambda-env.mjs';

export function createGetProfileHandler(deps) {
  return authenticated(deps, async (_event, claims) => json(200, await deps.store.getProfile(claims.sub)));
}

export function createPutProfileHandler(deps) {
  return authenticated(deps, async (event, claims) => {
    const { patch, version } = validateProfilePatch(parseBody(event));
    return json(200, await deps.store.putProfile(claims.sub, patch, version));
  });
}

export const getHandler = lambda(createGetProfileHandler);
export const putHandler = lambda(createPutProfileHandler);
