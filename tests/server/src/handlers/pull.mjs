// GET /sync/pull?cursor=C&limit=N: the changes after cursor C in the order
// the server applied them, the new cursor and has_more.

import { ApiError } from '../errors.mjs';
import { authenticated, json } from './common.mjs';
import { lambda } from './lambda-env.mjs';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

function intParam(raw, name, { min, max, fallback }) {
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]{1,16}$/.test(raw)) throw new ApiError(400, 'validation', `${name} must be a whole number`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ApiError(400, 'validation', `${name} must be from ${min} to ${max}`);
  }
  return n;
}

export function createPullHandler(deps) {
  return authenticated(deps, async (event, claims) => {
    const q = event.queryStringParameters ?? {};
    for (const k of Object.keys(q)) {
      if (k !== 'cursor' && k !== 'limit') throw new ApiError(400, 'validation', `unknown query parameter ${k}`);
    }
    const cursor = intParam(q.cursor, 'cursor', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const limit = intParam(q.limit, 'limit', { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
    return json(200, await deps.store.pull(claims.sub, cursor, limit));
  });
}

export const handler = lambda(createPullHandler);
