// Bearer access tokens, checked as an API in front of Cognito would: the
// signature against the issuer's JWKS (fetched and cached by jose), `iss`,
// `exp`, the app client (`client_id`, as in Cognito access tokens) and, when
// the token has one, `aud`. The `sub` claim names the learner.

import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';

import { ApiError } from './errors.mjs';

const SUB_RE = /^[A-Za-z0-9._:@|-]{1,128}$/;

function unauthorized(code, message) {
  return new ApiError(401, code, message, {
    headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message.replace(/"/g, "'")}"` },
  });
}

/**
 * @param {object} o
 * @param {string} o.issuer      expected `iss`
 * @param {string} o.jwksUrl     where the signing keys are published
 * @param {string} o.clientId    expected `client_id`
 * @param {string} [o.audience]  expected `aud` when the token carries one
 * @param {number} [o.clockTolerance] seconds of leeway on exp/nbf/iat
 * @returns {(authorization: string|undefined) => Promise<object>} the claims
 */
export function createVerifier({ issuer, jwksUrl, clientId, audience, clockTolerance = 0 }) {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 1000, timeoutDuration: 5000 });

  return async function verify(authorization) {
    if (!authorization) {
      throw new ApiError(401, 'unauthorized', 'an Authorization: Bearer <access token> header is required', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    const m = /^Bearer +([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization);
    if (!m) throw unauthorized('invalid_token', 'the Authorization header is not a Bearer token');
    let payload;
    try {
      ({ payload } = await jwtVerify(m[1], jwks, {
        issuer,
        algorithms: ['RS256', 'PS256', 'ES256'],
        clockTolerance,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('token_expired', 'the access token has expired');
      if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid
          || !(err instanceof joseErrors.JOSEError)) {
        throw new ApiError(503, 'unavailable', 'the signing keys could not be fetched', { headers: { 'Retry-After': '1' } });
      }
      throw unauthorized('invalid_token', `the access token is not valid (${err.code ?? err.message})`);
    }
    if (payload.token_use !== undefined && payload.token_use !== 'access') {
      throw unauthorized('invalid_token', 'this is not an access token');
    }
    if (payload.client_id !== clientId) {
      throw unauthorized('invalid_token', 'the access token was issued to another client');
    }
    if (audience && payload.aud !== undefined) {
      const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!auds.includes(audience)) throw unauthorized('invalid_token', 'the access token is for another audience');
    }
    if (typeof payload.sub !== 'string' || !SUB_RE.test(payload.sub)) {
      throw unauthorized('invalid_token', 'the access token has no usable sub');
    }
    return payload;
  };
}
