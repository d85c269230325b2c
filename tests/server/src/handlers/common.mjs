// What every Lambda-style handler shares: JSON answers, {code, message}
// errors, body parsing and the bearer-token check.

import { ApiError } from '../errors.mjs';
import { ValidationError } from '../sync-model.mjs';

export const MAX_BODY_BYTES = 6 * 1024 * 1024; // a Lambda request payload

export function json(statusCode, body, headers = {}) {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(err) {
  if (err instanceof ValidationError) {
    return json(400, { code: 'validation', message: err.message, ...(err.path ? { details: { path: err.path } } : {}) });
  }
  if (err instanceof ApiError) {
    const body = { code: err.code, message: err.message };
    if (err.details) body.details = err.details;
    return json(err.status, body, err.headers);
  }
  console.error('internal error:', err);
  return json(500, { code: 'internal', message: 'internal error' });
}

/** The request body as JSON (400 invalid_json / 413 payload_too_large). */
export function parseBody(event) {
  let text = event.body ?? '';
  if (event.isBase64Encoded) text = Buffer.from(text, 'base64').toString('utf8');
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new ApiError(413, 'payload_too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
  }
  if (text.trim() === '') throw new ApiError(400, 'invalid_json', 'the body must be JSON');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${err.message}`);
  }
}

export function header(event, name) {
  const h = event.headers ?? {};
  return h[name] ?? h[name.toLowerCase()] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/**
 * Wraps a route function (event, claims) => response with the token check
 * and error mapping: the result is an (event) => response handler.
 */
export function authenticated(deps, fn) {
  return async function handler(event) {
    try {
      const claims = await deps.verify(header(event, 'authorization'));
      return await fn(event, claims);
    } catch (err) {
      if (err?.name === 'KillError') throw err; // fault injection: let the adapter "crash"
      return errorResponse(err);
    }
  };
}
