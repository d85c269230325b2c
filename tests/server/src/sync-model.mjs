// The sync contract's data model: what a change may contain, how it is
// validated, and how it merges into the stored state. Pure: no I/O.
//
// A change is one entity (deck, card, review, session, scenario) with its id,
// the changed fields as {name: {value, hlc}} and an optional tombstone.
// Editable fields merge by last-writer-wins on their HLC stamp; a stamp is
// "<12 hex ms>-<4 hex counter>-<device id>", so plain string comparison
// orders stamps and breaks ties by device. Reviews are immutable: a field is
// written once and never replaced. A tombstone (deleted_hlc) wins over older
// field stamps and loses to newer ones: an entity is deleted while its
// deleted_hlc is greater than every field stamp.

export const MAX_CHANGES_PER_BATCH = 100;
export const MAX_ITEM_BYTES = 400 * 1024; // DynamoDB's item limit
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const HLC_RE = /^[0-9a-f]{12}-[0-9a-f]{4}-[A-Za-z0-9._:-]{1,64}$/;
export const DEVICE_RE = /^[A-Za-z0-9._:-]{1,64}$/;
export const BATCH_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// Field kinds ---------------------------------------------------------------

const text = (maxChars, { minChars = 0, nullable = false } = {}) =>
  ({ kind: 'string', maxChars, minChars, nullable });
const uuid = ({ nullable = false } = {}) => ({ kind: 'uuid', nullable });
const int = (min, max, { nullable = false } = {}) => ({ kind: 'integer', min, max, nullable });
const num = (min, max) => ({ kind: 'number', min, max, nullable: false });
const oneOf = (values) => ({ kind: 'enum', values, nullable: false });
const counts = () => ({ kind: 'counts', nullable: false });
const jsonText = (maxChars) => ({ kind: 'json_text', maxChars, nullable: false });
// JSON text of a given shape (checked by SHAPES below); null allowed.
const jsonShape = (shape, maxChars) => ({ kind: 'json_shape', shape, maxChars, nullable: true });

// Scenario practice, as the app's domain bounds it: at most 64 turns in a
// scenario, answers and key phrases as long as a card's notes and sides.
export const MAX_SCENARIO_TURNS = 64;
export const MAX_TURN_ANSWER = 20000;
export const MAX_PHRASE_KEY = 10000;
const MAX_INT32 = 2147483647;

export const ENTITIES = {
  deck: {
    prefix: 'DECK',
    fields: {
      name: text(100, { minChars: 1 }),
    },
  },
  card: {
    prefix: 'CARD',
    fields: {
      deck_id: uuid(),
      front: text(10000, { minChars: 1 }),
      back: text(10000, { minChars: 1 }),
      notes: text(20000, { nullable: true }),
      example: text(20000, { nullable: true }),
      // The tags as the app stores them: lower-case words separated by
      // single spaces (at most 64 tags of at most 64 characters).
      tags: text(64 * 65),
      // The missed key phrase of a scenario the card was made from, as JSON
      // text {scenario_id, turn_index, phrase_key}; null when it was not.
      // Stamped when the link was made, and never changed since.
      phrase_source: jsonShape('phrase_source', 64 * 1024),
    },
  },
  review: {
    prefix: 'REVIEW',
    immutable: true,
    // A review is inserted whole: these must come with its first write.
    required: ['card_id', 'rating', 'time_us'],
    fields: {
      card_id: uuid(),
      rating: int(1, 4),
      time_us: int(0, MAX_SAFE),
      duration_ms: int(0, 24 * 3600 * 1000),
      state_before: int(0, 3),
      session_id: uuid({ nullable: true }),
    },
  },
  session: {
    prefix: 'SESSION',
    fields: {
      kind: oneOf(['review', 'scenario']),
      started_us: int(0, MAX_SAFE),
      ended_us: int(0, MAX_SAFE), // 0 while the session is open
      counts: counts(), // {again, hard, good, easy}
      time_ms: int(0, MAX_SAFE),
      scenario_id: uuid({ nullable: true }),
      score: num(0, 100),
      // A finished scenario run's score per learner turn, as JSON text: an
      // array of {turn_index, score, answer, hints_used, attempts, skipped}
      // in increasing turn_index; null for none. A run's results are
      // written together, so one stamp covers them all.
      turn_results: jsonShape('turn_results', 400000),
    },
  },
  scenario: {
    prefix: 'SCENARIO',
    fields: {
      // The whole scenario (title, level, turns, ...) as one JSON document.
      content: jsonText(400000),
    },
  },
};

export const ENTITY_NAMES = Object.keys(ENTITIES);

export class ValidationError extends Error {
  constructor(message, path) {
    super(message);
    this.name = 'ValidationError';
    this.path = path;
  }
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function charCount(s) {
  let n = 0;
  for (const _ of s) n += 1; // code points, as g_utf8_strlen counts them
  return n;
}

export function checkText(s, path, { maxChars, minChars = 0 }) {
  if (typeof s !== 'string') throw new ValidationError(`${path} must be a string`, path);
  if (!s.isWellFormed()) throw new ValidationError(`${path} is not valid Unicode text`, path);
  if (s.includes('\u0000')) throw new ValidationError(`${path} must not contain NUL characters`, path);
  // Cheap bounds first: a string of more UTF-16 units than 2*max is too long.
  if (s.length > 2 * maxChars || charCount(s) > maxChars) {
    throw new ValidationError(`${path} is longer than ${maxChars} characters`, path);
  }
  if (minChars > 0 && charCount(s.trim()) < minChars) {
    throw new ValidationError(`${path} must not be empty`, path);
  }
}

function checkInteger(value, path, min, max) {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(`${path} must be an integer from ${min} to ${max}`, path);
  }
}

function checkMembers(object, path, names) {
  if (!isPlainObject(object)) throw new ValidationError(`${path} must be an object`, path);
  for (const k of Object.keys(object)) {
    if (!names.includes(k)) throw new ValidationError(`${path}.${k} is not a known member`, path);
  }
  for (const k of names) {
    if (!Object.hasOwn(object, k)) throw new ValidationError(`${path}.${k} is missing`, path);
  }
}

// The shapes of JSON text fields. `path` names the field's value in the
// request (details.path); `at` the place inside the JSON document.
const SHAPES = {
  turn_results(doc, path) {
    if (!Array.isArray(doc)) throw new ValidationError(`${path} must be a JSON array`, path);
    if (doc.length > MAX_SCENARIO_TURNS) {
      throw new ValidationError(`${path} has more than ${MAX_SCENARIO_TURNS} turn results`, path);
    }
    let last = -1;
    doc.forEach((r, i) => {
      const at = `${path}[${i}]`;
      checkMembers(r, at, ['turn_index', 'score', 'answer', 'hints_used', 'attempts', 'skipped']);
      checkInteger(r.turn_index, `${at}.turn_index`, 0, MAX_SCENARIO_TURNS - 1);
      if (r.turn_index <= last) {
        throw new ValidationError(`${at}.turn_index must be greater than the one before (no turn twice)`, path);
      }
      last = r.turn_index;
      checkInteger(r.score, `${at}.score`, 0, 100);
      if (r.answer !== null) checkText(r.answer, `${at}.answer`, { maxChars: MAX_TURN_ANSWER });
      checkInteger(r.hints_used, `${at}.hints_used`, 0, MAX_INT32);
      checkInteger(r.attempts, `${at}.attempts`, 0, MAX_INT32);
      if (typeof r.skipped !== 'boolean') throw new ValidationError(`${at}.skipped must be a boolean`, path);
    });
  },
  phrase_source(doc, path) {
    checkMembers(doc, path, ['scenario_id', 'turn_index', 'phrase_key']);
    if (typeof doc.scenario_id !== 'string' || !UUID_RE.test(doc.scenario_id)) {
      throw new ValidationError(`${path}.scenario_id must be a lower-case UUID`, path);
    }
    checkInteger(doc.turn_index, `${path}.turn_index`, 0, MAX_SCENARIO_TURNS - 1);
    checkText(doc.phrase_key, `${path}.phrase_key`, { maxChars: MAX_PHRASE_KEY, minChars: 1 });
  },
};

function parseJsonText(value, path, maxChars) {
  checkText(value, path, { maxChars });
  try {
    return JSON.parse(value);
  } catch {
    throw new ValidationError(`${path} must be JSON text`, path);
  }
}

function checkValue(spec, value, path) {
  if (value === null) {
    if (spec.nullable) return;
    throw new ValidationError(`${path} must not be null`, path);
  }
  switch (spec.kind) {
    case 'string':
      checkText(value, path, spec);
      return;
    case 'uuid':
      if (typeof value !== 'string' || !UUID_RE.test(value)) {
        throw new ValidationError(`${path} must be a lower-case UUID`, path);
      }
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
        throw new ValidationError(`${path} must be an integer from ${spec.min} to ${spec.max}`, path);
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max) {
        throw new ValidationError(`${path} must be a number from ${spec.min} to ${spec.max}`, path);
      }
      return;
    case 'enum':
      if (!spec.values.includes(value)) {
        throw new ValidationError(`${path} must be one of ${spec.values.join(', ')}`, path);
      }
      return;
    case 'counts': {
      if (!isPlainObject(value)) throw new ValidationError(`${path} must be an object`, path);
      const keys = ['again', 'hard', 'good', 'easy'];
      for (const k of Object.keys(value)) {
        if (!keys.includes(k)) throw new ValidationError(`${path}.${k} is not a known count`, `${path}.${k}`);
      }
      for (const k of keys) {
        const n = value[k];
        if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > 1e9) {
          throw new ValidationError(`${path}.${k} must be an integer from 0 to 1000000000`, `${path}.${k}`);
        }
      }
      return;
    }
    case 'json_text': {
      const parsed = parseJsonText(value, path, spec.maxChars);
      if (!isPlainObject(parsed)) throw new ValidationError(`${path} must be a JSON object`, path);
      return;
    }
    case 'json_shape': {
      // Errors inside the document keep the field's value as their path
      // (a member of the request); the message says where inside.
      const parsed = parseJsonText(value, path, spec.maxChars);
      try {
        SHAPES[spec.shape](parsed, path);
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(e.message, path);
        throw e;
      }
      return;
    }
    default:
      throw new Error(`unknown field kind ${spec.kind}`);
  }
}

export function checkHlc(hlc, path) {
  if (typeof hlc !== 'string' || !HLC_RE.test(hlc)) {
    throw new ValidationError(
      `${path} must be an HLC stamp: 12 lower-case hex digits, '-', 4 lower-case hex digits, '-', a device id`,
      path,
    );
  }
}

/** Validates one change in place; returns it normalised (fields always an object). */
export function validateChange(change, index) {
  const at = `changes[${index}]`;
  if (!isPlainObject(change)) throw new ValidationError(`${at} must be an object`, at);
  for (const k of Object.keys(change)) {
    if (!['entity', 'id', 'fields', 'deleted', 'deleted_hlc'].includes(k)) {
      throw new ValidationError(`${at}.${k} is not a known member of a change`, `${at}.${k}`);
    }
  }
  const def = ENTITIES[change.entity];
  if (typeof change.entity !== 'string' || !def) {
    throw new ValidationError(`${at}.entity must be one of ${ENTITY_NAMES.join(', ')}`, `${at}.entity`);
  }
  if (typeof change.id !== 'string' || !UUID_RE.test(change.id)) {
    throw new ValidationError(`${at}.id must be a lower-case UUID`, `${at}.id`);
  }
  const fields = change.fields === undefined ? {} : change.fields;
  if (!isPlainObject(fields)) throw new ValidationError(`${at}.fields must be an object`, `${at}.fields`);
  for (const [name, fv] of Object.entries(fields)) {
    const fpath = `${at}.fields.${name}`;
    const spec = Object.hasOwn(def.fields, name) ? def.fields[name] : undefined;
    if (!spec) throw new ValidationError(`${fpath}: ${change.entity} has no field "${name}"`, fpath);
    if (!isPlainObject(fv)) throw new ValidationError(`${fpath} must be {value, hlc}`, fpath);
    for (const k of Object.keys(fv)) {
      if (k !== 'value' && k !== 'hlc') throw new ValidationError(`${fpath}.${k} is not allowed`, `${fpath}.${k}`);
    }
    if (!('value' in fv)) throw new ValidationError(`${fpath}.value is missing`, `${fpath}.value`);
    checkHlc(fv.hlc, `${fpath}.hlc`);
    checkValue(spec, fv.value, `${fpath}.value`);
  }
  const deleted = change.deleted === undefined ? false : change.deleted;
  if (typeof deleted !== 'boolean') throw new ValidationError(`${at}.deleted must be a boolean`, `${at}.deleted`);
  const deletedHlc = change.deleted_hlc === undefined ? null : change.deleted_hlc;
  if (deleted) {
    checkHlc(deletedHlc, `${at}.deleted_hlc`);
  } else if (deletedHlc !== null) {
    throw new ValidationError(`${at}.deleted_hlc is only allowed with deleted: true`, `${at}.deleted_hlc`);
  }
  const names = Object.keys(fields);
  if (names.length === 0 && !deleted) {
    throw new ValidationError(`${at} changes nothing: give fields or deleted: true`, at);
  }
  if (def.immutable && names.length > 0) {
    const missing = def.required.filter((n) => !names.includes(n));
    if (missing.length) {
      throw new ValidationError(`${at}: a ${change.entity} needs ${missing.join(', ')} in the same change`, `${at}.fields`);
    }
  }
  return { entity: change.entity, id: change.id, fields, deleted, deleted_hlc: deletedHlc };
}

/** Validates a push body. Returns {device_id, batch_id, changes}. */
export function validatePush(body) {
  if (!isPlainObject(body)) throw new ValidationError('the body must be a JSON object', '');
  for (const k of Object.keys(body)) {
    if (!['device_id', 'batch_id', 'changes'].includes(k)) {
      throw new ValidationError(`${k} is not a known member of a push`, k);
    }
  }
  if (typeof body.device_id !== 'string' || !DEVICE_RE.test(body.device_id)) {
    throw new ValidationError('device_id must be 1-64 characters of A-Z a-z 0-9 . _ : -', 'device_id');
  }
  if (typeof body.batch_id !== 'string' || !BATCH_ID_RE.test(body.batch_id)) {
    throw new ValidationError('batch_id must be 1-128 characters of A-Z a-z 0-9 . _ : -', 'batch_id');
  }
  if (!Array.isArray(body.changes)) throw new ValidationError('changes must be an array', 'changes');
  const changes = body.changes.map((c, i) => validateChange(c, i));
  const seen = new Map();
  changes.forEach((c, i) => {
    const key = `${c.entity}#${c.id}`;
    if (seen.has(key)) {
      throw new ValidationError(
        `changes[${i}] is the second change to ${c.entity} ${c.id} in this batch (first: changes[${seen.get(key)}]): send one change per entity`,
        `changes[${i}]`,
      );
    }
    seen.set(key, i);
  });
  return { device_id: body.device_id, batch_id: body.batch_id, changes };
}

// Merge -----------------------------------------------------------------------

export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

export function maxFieldHlc(fields) {
  let max = '';
  for (const fv of Object.values(fields)) if (fv.hlc > max) max = fv.hlc;
  return max;
}

/** Whether the tombstone is in force: newer than every field stamp. */
export function isDeleted(state) {
  return !!state.deleted_hlc && state.deleted_hlc > maxFieldHlc(state.fields);
}

/**
 * Merges a validated change into the current state ({fields, deleted_hlc} or
 * null when the entity is new).
 *
 * Returns {state, winners, tombstoneWon, changed, conflict}: the merged state,
 * the fields of the change that won, whether its tombstone won, whether
 * anything changed, and for an immutable entity a message when the change
 * contradicts what is stored.
 */
export function mergeChange(current, change) {
  const def = ENTITIES[change.entity];
  const state = {
    fields: { ...(current?.fields ?? {}) },
    deleted_hlc: current?.deleted_hlc ?? null,
  };
  const winners = {};
  for (const [name, fv] of Object.entries(change.fields)) {
    const cur = state.fields[name];
    if (def.immutable) {
      if (!cur) {
        winners[name] = { value: fv.value, hlc: fv.hlc };
      } else if (!deepEqual(cur.value, fv.value)) {
        return {
          state: current, winners: {}, tombstoneWon: false, changed: false,
          conflict: `${change.entity} ${change.id} is immutable and already has a different ${name}`,
        };
      }
    } else if (!cur || fv.hlc > cur.hlc) {
      winners[name] = { value: fv.value, hlc: fv.hlc };
    }
    // Equal stamps name the same write: the server keeps what it has.
  }
  Object.assign(state.fields, winners);
  let tombstoneWon = false;
  if (change.deleted && (!state.deleted_hlc || change.deleted_hlc > state.deleted_hlc)) {
    state.deleted_hlc = change.deleted_hlc;
    tombstoneWon = true;
  }
  const changed = tombstoneWon || Object.keys(winners).length > 0;
  return { state, winners, tombstoneWon, changed, conflict: null };
}

// Profile -----------------------------------------------------------------------

export const PROFILE_DEFAULTS = {
  display_name: null,
  new_per_day: 20,
  reviews_per_day: 200,
  desired_retention: 0.9,
  rollover_hour: 4,
};

export function validateProfilePatch(body) {
  if (!isPlainObject(body)) throw new ValidationError('the body must be a JSON object', '');
  const patch = {};
  let version;
  for (const [k, v] of Object.entries(body)) {
    switch (k) {
      case 'display_name':
        if (v !== null) checkText(v, k, { maxChars: 100 });
        patch[k] = v;
        break;
      case 'new_per_day':
        checkValue(int(0, 9999), v, k);
        patch[k] = v;
        break;
      case 'reviews_per_day':
        checkValue(int(0, 99999), v, k);
        patch[k] = v;
        break;
      case 'desired_retention':
        checkValue(num(0.7, 0.99), v, k);
        patch[k] = v;
        break;
      case 'rollover_hour':
        checkValue(int(0, 23), v, k);
        patch[k] = v;
        break;
      case 'version':
        checkValue(int(0, MAX_SAFE), v, k);
        version = v;
        break;
      case 'user_id':
      case 'updated_at':
        break; // read-only members of a profile sent back: ignored
      default:
        throw new ValidationError(`${k} is not a profile setting`, k);
    }
  }
  if (Object.keys(patch).length === 0) throw new ValidationError('the body sets no profile setting', '');
  return { patch, version };
}
