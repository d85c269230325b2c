// Errors that become a JSON {code, message} answer with an HTTP status.

export class ApiError extends Error {
  constructor(status, code, message, { headers, details } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers ?? {};
    this.details = details;
  }
}

/** Thrown by the store when the "kill" fault stops a push half-way. */
export class KillError extends Error {
  constructor(message = 'killed by fault injection') {
    super(message);
    this.name = 'KillError';
  }
}
