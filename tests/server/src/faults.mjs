// Fault injection for client tests: what the next requests should suffer.
// Set with POST /__test/faults (or REHEARSE_FAULTS='{"...": ...}' at start).

import { ValidationError } from './sync-model.mjs';

export const MALFORMED_MODES = [
  'wrong_types', 'huge_string', 'unknown_entity', 'bad_hlc', 'invalid_json', 'not_object', 'truncated',
  'lone_surrogate',
];

const DEFAULTS = {
  fail_next: 0,
  fail_status: 500,
  rate_limit_next: 0,
  retry_after: 1,
  drop_response_after_apply: 0,
  kill_after_apply: false,
  kill_after_changes: null,
  down_ms: 1000,
  malformed_pull: null,
  malformed_pull_count: 1,
  huge_bytes: 8 * 1024 * 1024,
  delay_ms: 0,
  delay_next: null,
  paths: null,
};

function intIn(v, k, min, max) {
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new ValidationError(`${k} must be an integer from ${min} to ${max}`, k);
  return v;
}

export class Faults {
  constructor() {
    this.clear();
  }

  clear() {
    Object.assign(this, structuredClone(DEFAULTS));
    this.fired = { fail: 0, rate_limit: 0, drop: 0, kill: 0, malformed: 0, delay: 0 };
  }

  /** Sets the given settings (validated); others stay as they are. */
  set(body) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationError('faults must be a JSON object', '');
    }
    const next = {};
    for (const [k, v] of Object.entries(body)) {
      switch (k) {
        case 'fail_next': case 'rate_limit_next': case 'drop_response_after_apply':
          next[k] = intIn(v, k, 0, 1e6); break;
        case 'fail_status':
          if (![500, 502, 503, 504].includes(v)) throw new ValidationError('fail_status must be 500, 502, 503 or 504', k);
          next[k] = v; break;
        case 'retry_after': next[k] = intIn(v, k, 0, 3600); break;
        case 'down_ms': next[k] = intIn(v, k, 0, 60000); break;
        case 'delay_ms': next[k] = intIn(v, k, 0, 600000); break;
        case 'delay_next': next[k] = v === null ? null : intIn(v, k, 0, 1e6); break;
        case 'huge_bytes': next[k] = intIn(v, k, 1, 256 * 1024 * 1024); break;
        case 'malformed_pull_count': next[k] = intIn(v, k, 0, 1e6); break;
        case 'kill_after_changes': next[k] = v === null ? null : intIn(v, k, 0, 100); break;
        case 'kill_after_apply':
          if (![true, false, 'exit'].includes(v)) throw new ValidationError('kill_after_apply must be true, false or "exit"', k);
          next[k] = v; break;
        case 'malformed_pull':
          if (v !== null && !MALFORMED_MODES.includes(v)) {
            throw new ValidationError(`malformed_pull must be null or one of ${MALFORMED_MODES.join(', ')}`, k);
          }
          next[k] = v; break;
        case 'paths':
          if (v !== null && (!Array.isArray(v) || !v.every((p) => typeof p === 'string'))) {
            throw new ValidationError('paths must be null or an array of "/path" or "METHOD /path" strings', k);
          }
          next[k] = v; break;
        default:
          throw new ValidationError(`unknown fault ${k}`, k);
      }
    }
    if ('malformed_pull' in next && !('malformed_pull_count' in next)) next.malformed_pull_count = 1;
    Object.assign(this, next);
  }

  view() {
    return Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, this[k]]).concat([['fired', this.fired]]));
  }

  appliesTo(routeKey) {
    if (!this.paths) return true;
    const path = routeKey.split(' ')[1];
    return this.paths.includes(routeKey) || this.paths.includes(path);
  }

  /** Before the handler: a canned answer, or null to go on. */
  takePre(routeKey) {
    if (!this.appliesTo(routeKey)) return null;
    if (this.rate_limit_next > 0) {
      this.rate_limit_next -= 1;
      this.fired.rate_limit += 1;
      return {
        statusCode: 429,
        headers: { 'Retry-After': String(this.retry_after) },
        body: { code: 'rate_limited', message: `too many requests; retry after ${this.retry_after} s` },
      };
    }
    if (this.fail_next > 0) {
      this.fail_next -= 1;
      this.fired.fail += 1;
      const code = this.fail_status === 500 ? 'internal' : 'unavailable';
      return { statusCode: this.fail_status, headers: {}, body: { code, message: `injected ${this.fail_status}` } };
    }
    return null;
  }

  takeDelay(routeKey) {
    if (this.delay_ms <= 0 || !this.appliesTo(routeKey)) return 0;
    if (this.delay_next !== null) {
      if (this.delay_next <= 0) return 0;
      this.delay_next -= 1;
    }
    this.fired.delay += 1;
    return this.delay_ms;
  }

  /** For a push about to run: how many changes to apply before "crashing". */
  takeKillAfterChanges() {
    if (this.kill_after_changes === null) return undefined;
    const k = this.kill_after_changes;
    this.kill_after_changes = null;
    this.fired.kill += 1;
    return k;
  }

  /** After a push applied: 'drop', 'kill', 'exit' or null. */
  takePostPush() {
    if (this.kill_after_apply) {
      const how = this.kill_after_apply === 'exit' ? 'exit' : 'kill';
      this.kill_after_apply = false;
      this.fired.kill += 1;
      return how;
    }
    if (this.drop_response_after_apply > 0) {
      this.drop_response_after_apply -= 1;
      this.fired.drop += 1;
      return 'drop';
    }
    return null;
  }

  takeMalformedPull() {
    if (!this.malformed_pull || this.malformed_pull_count <= 0) return null;
    this.malformed_pull_count -= 1;
    const mode = this.malformed_pull;
    if (this.malformed_pull_count === 0) this.malformed_pull = null;
    this.fired.malformed += 1;
    return mode;
  }
}
