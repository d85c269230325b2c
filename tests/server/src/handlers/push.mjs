// POST /sync/push {device_id, batch_id, changes: [...]}:
// applies each change once (per-field last-writer-wins by HLC, reviews
// insert-only, tombstones), answers {applied, cursor, results}; a batch sent
// again with the same batch_id gets the stored answer and changes nothing.

import { ApiError } from '../errors.mjs';
import { MAX_CHANGES_PER_BATCH, validatePush } from '../sync-model.mjs';
import { authenticated, json, parseBody } from './common.mjs';
import { lambda } from './lambda-env.mjs';

export function createPushHandler(deps) {
  return authenticated(deps, async (event, claims) => {
    const body = parseBody(event);
    if (Array.isArray(body?.changes) && body.changes.length > MAX_CHANGES_PER_BATCH) {
      throw new ApiError(413, 'batch_too_large',
        `a batch holds at most ${MAX_CHANGES_PER_BATCH} changes, this one has ${body.changes.length}`);
    }
    const push = validatePush(body);
    const options = deps.hooks?.pushOptions?.(event) ?? {};
    return json(200, await deps.store.push(claims.sub, push, options));
  });
}

export const handler = lambda(createPushHandler);
