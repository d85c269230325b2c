// The sync API's data, in one DynamoDB table:
//
//   PK = USER#<sub>   SK = PROFILE            the learner's settings
//                     SK = DECK#<id>, CARD#<id>, REVIEW#<id>, SESSION#<id>,
//                          SCENARIO#<id>      current state: per field {v, h}
//                     SK = CHANGE#<seq, 20 digits>  the change log
//                     SK = VOID#<seq>         a number a pull gave up waiting for
//                     SK = COUNTER            the last sequence number given out
//                     SK = BATCH#<batch_id>   an idempotency record: results
//                                             so far, then the stored answer
//
// Only single-item writes are used (DynamoDB Local emulators such as dynalite
// lack transactions, and a batch of 100 changes would not fit one anyway), so
// every step is made safe on its own:
//
// * Sequence numbers come from `UpdateItem ADD` on COUNTER: a block per round.
// * A change's log entry is written *before* its state item, so every state a
//   reader can see has been logged. A log entry whose state write then loses
//   a race only repeats stamped values, which clients merge by the same rule
//   and so ignore.
// * State items are written with `ver = :expected` (or attribute_not_exists
//   when new: reviews are insert-only): a concurrent push to the same entity
//   makes the write fail and the change is merged again on the fresh state.
// * A pull walks the log in sequence order and never steps over a missing
//   sequence number: it waits for it, and after a grace period gives it up
//   with a VOID#<seq> marker and a void log entry (both attribute_not_exists).
//   A writer checks for VOID# markers after writing its log entries and
//   before writing state, and takes new numbers for the voided ones, so
//   nothing a reader skipped is ever applied.
// * BATCH#<id> holds a lease (one request at a time per batch), each change's
//   result as soon as it is known, and finally the answer, so a retried batch
//   changes nothing and gets the same answer.

import { createHash, randomUUID } from 'node:crypto';

import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

import { fromAttr, isConditionalFailure, itemSize, toAttr } from './dynamo.mjs';
import { ApiError, KillError } from './errors.mjs';
import {
  ENTITIES,
  MAX_ITEM_BYTES,
  PROFILE_DEFAULTS,
  isDeleted,
  mergeChange,
} from './sync-model.mjs';

const SEQ_DIGITS = 20;
const MAX_ROUNDS = 40;
const WRITE_CONCURRENCY = 16;

export const userPk = (sub) => `USER#${sub}`;
export const entitySk = (entity, id) => `${ENTITIES[entity].prefix}#${id}`;
export const changeSk = (seq) => `CHANGE#${String(seq).padStart(SEQ_DIGITS, '0')}`;
export const voidSk = (seq) => `VOID#${String(seq).padStart(SEQ_DIGITS, '0')}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function mapLimit(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The hash that ties a batch_id to its content (key order does not matter). */
export function batchHash(push) {
  return createHash('sha256')
    .update(canonical({ device_id: push.device_id, changes: push.changes }))
    .digest('hex');
}

function fieldsToAttr(fields) {
  return {
    M: Object.fromEntries(Object.entries(fields).map(([name, fv]) => [
      name, { M: { v: toAttr(fv.value), h: { S: fv.hlc } } },
    ])),
  };
}

function fieldsFromAttr(a) {
  if (!a?.M) return {};
  return Object.fromEntries(Object.entries(a.M).map(([name, fv]) => [
    name, { value: fromAttr(fv.M.v), hlc: fv.M.h.S },
  ]));
}

function stateFromItem(item) {
  if (!item) return null;
  return {
    fields: fieldsFromAttr(item.f),
    deleted_hlc: item.dh?.S ?? null,
    version: Number(item.ver.N),
  };
}

export class Store {
  /**
   * @param {object} o
   * @param {import('@aws-sdk/client-dynamodb').DynamoDBClient} o.client
   * @param {string} o.table
   * @param {number} [o.leaseMs] how long one request holds a batch
   * @param {number} [o.gapGraceMs] how long a pull waits for a missing log entry
   */
  constructor({ client, table, leaseMs = 10000, gapGraceMs = 1000 }) {
    this.client = client;
    this.table = table;
    this.leaseMs = leaseMs;
    this.gapGraceMs = gapGraceMs;
  }

  send(cmd) {
    return this.client.send(cmd);
  }

  async getItem(pk, sk) {
    const { Item } = await this.send(new GetItemCommand({
      TableName: this.table, Key: { PK: { S: pk }, SK: { S: sk } }, ConsistentRead: true,
    }));
    return Item ?? null;
  }

  async batchGet(pk, sks) {
    const found = new Map();
    for (let i = 0; i < sks.length; i += 100) {
      let keys = sks.slice(i, i + 100).map((sk) => ({ PK: { S: pk }, SK: { S: sk } }));
      for (let attempt = 0; keys.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(Math.min(200, 10 * 2 ** attempt));
        const out = await this.send(new BatchGetItemCommand({
          RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } },
        }));
        for (const item of out.Responses?.[this.table] ?? []) found.set(item.SK.S, item);
        keys = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return found;
  }

  /** Unconditional puts, 25 to a BatchWriteItem, retrying unprocessed ones. */
  async batchPut(items) {
    const chunks = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    await mapLimit(chunks, 4, async (chunk) => {
      let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 0) await sleep(Math.min(200, 10 * 2 ** attempt));
        const out = await this.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: requests } }));
        requests = out.UnprocessedItems?.[this.table] ?? [];
      }
    });
  }

  async currentSeq(pk) {
    const item = await this.getItem(pk, 'COUNTER');
    return item ? Number(item.seq.N) : 0;
  }

  /** Gives out `count` sequence numbers; returns the first. */
  async allocate(pk, count) {
    const out = await this.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { PK: { S: pk }, SK: { S: 'COUNTER' } },
      UpdateExpression: 'ADD #s :n',
      ExpressionAttributeNames: { '#s': 'seq' },
      ExpressionAttributeValues: { ':n': { N: String(count) } },
      ReturnValues: 'UPDATED_NEW',
    }));
    return Number(out.Attributes.seq.N) - count + 1;
  }

  // Profile -------------------------------------------------------------------

  profileView(sub, item) {
    const stored = item?.p ? fromAttr(item.p) : {};
    return {
      user_id: sub,
      ...PROFILE_DEFAULTS,
      ...stored,
      version: item ? Number(item.ver.N) : 0,
      updated_at: item ? new Date(Number(item.upd.N)).toISOString() : null,
    };
  }

  async getProfile(sub) {
    return this.profileView(sub, await this.getItem(userPk(sub), 'PROFILE'));
  }

  async putProfile(sub, patch, expectedVersion) {
    const pk = userPk(sub);
    for (let attempt = 0; attempt < MAX_ROUNDS; attempt += 1) {
      const item = await this.getItem(pk, 'PROFILE');
      const version = item ? Number(item.ver.N) : 0;
      if (expectedVersion !== undefined && expectedVersion !== version) {
        throw new ApiError(409, 'version_conflict',
          `the profile is at version ${version}, not ${expectedVersion}: read it again and retry`,
          { details: { version } });
      }
      const stored = item?.p ? fromAttr(item.p) : {};
      const next = {
        PK: { S: pk },
        SK: { S: 'PROFILE' },
        p: toAttr({ ...stored, ...patch }),
        ver: { N: String(version + 1) },
        upd: { N: String(Date.now()) },
      };
      try {
        await this.send(new PutItemCommand({
          TableName: this.table,
          Item: next,
          ConditionExpression: item ? '#v = :v' : 'attribute_not_exists(SK)',
          ExpressionAttributeNames: item ? { '#v': 'ver' } : undefined,
          ExpressionAttributeValues: item ? { ':v': { N: String(version) } } : undefined,
        }));
        return this.profileView(sub, next);
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
        if (expectedVersion !== undefined) {
          throw new ApiError(409, 'version_conflict', 'the profile changed meanwhile: read it again and retry');
        }
        await sleep(Math.random() * 20);
      }
    }
    throw new ApiError(503, 'contention', 'the profile is changing too often; retry', { headers: { 'Retry-After': '1' } });
  }

  // Push ------------------------------------------------------------------------

  /**
   * Applies a validated push for one user. Returns {applied, cursor, results}.
   * `stopAfter` (fault injection) applies only that many of the remaining
   * changes, records them, and throws KillError as a crash would.
   */
  async push(sub, push, { stopAfter } = {}) {
    const pk = userPk(sub);
    const bsk = `BATCH#${push.batch_id}`;
    const hash = batchHash(push);
    const owner = randomUUID();

    // Take the batch: first come, or after the previous holder's lease ran out.
    let batch;
    for (let attempt = 0; ; attempt += 1) {
      if (attempt > 20) {
        throw new ApiError(503, 'contention', 'could not take the batch; retry', { headers: { 'Retry-After': '1' } });
      }
      batch = await this.getItem(pk, bsk);
      if (batch && batch.hash.S !== hash) {
        throw new ApiError(409, 'batch_conflict',
          `batch_id ${push.batch_id} was already used for different changes: a new batch needs a new batch_id`);
      }
      if (batch?.state.S === 'done') return JSON.parse(batch.answer.S);
      const now = Date.now();
      try {
        if (!batch) {
          batch = {
            PK: { S: pk },
            SK: { S: bsk },
            hash: { S: hash },
            state: { S: 'pending' },
            owner: { S: owner },
            lease: { N: String(now + this.leaseMs) },
            r: { M: {} },
            dev: { S: push.device_id },
            created: { N: String(now) },
            // Lets a real table expire old batches (TTL attribute), after 30 days.
            ttl: { N: String(Math.floor(now / 1000) + 30 * 86400) },
          };
          await this.send(new PutItemCommand({
            TableName: this.table, Item: batch, ConditionExpression: 'attribute_not_exists(SK)',
          }));
        } else {
          await this.send(new UpdateItemCommand({
            TableName: this.table,
            Key: { PK: { S: pk }, SK: { S: bsk } },
            UpdateExpression: 'SET #o = :o, #l = :l',
            ConditionExpression: '#st = :pending AND #l < :now',
            ExpressionAttributeNames: { '#o': 'owner', '#l': 'lease', '#st': 'state' },
            ExpressionAttributeValues: {
              ':o': { S: owner },
              ':l': { N: String(now + this.leaseMs) },
              ':pending': { S: 'pending' },
              ':now': { N: String(now) },
            },
          }));
        }
        break;
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
        const again = await this.getItem(pk, bsk);
        if (again?.state.S === 'done') {
          if (again.hash.S !== hash) continue;
          return JSON.parse(again.answer.S);
        }
        if (again && again.state.S === 'pending' && Number(again.lease.N) >= Date.now() && attempt >= 1) {
          const wait = Math.max(1, Math.ceil((Number(again.lease.N) - Date.now()) / 1000));
          throw new ApiError(409, 'batch_in_progress',
            `batch ${push.batch_id} is being applied by another request; retry after ${wait} s`,
            { headers: { 'Retry-After': String(Math.min(wait, 5)) } });
        }
        await sleep(10 + Math.random() * 40);
      }
    }

    const recorded = fromAttr(batch.r ?? { M: {} });
    const results = new Array(push.changes.length);
    const todo = [];
    push.changes.forEach((change, i) => {
      if (recorded[i]) results[i] = recorded[i];
      else todo.push(i);
    });

    const now = todo.slice(0, stopAfter ?? todo.length);
    if (now.length > 0) {
      const fresh = await this.applyChanges(pk, push, now);
      for (const [i, res] of fresh) results[i] = res;
      await this.recordResults(pk, bsk, owner, fresh);
    }
    if (stopAfter !== undefined && stopAfter !== null) {
      // A crash leaves the lease to run out; this one gives it back at once
      // so a client retrying the batch does not have to wait for it.
      await this.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { PK: { S: pk }, SK: { S: bsk } },
        UpdateExpression: 'SET #l = :zero',
        ConditionExpression: '#o = :o',
        ExpressionAttributeNames: { '#l': 'lease', '#o': 'owner' },
        ExpressionAttributeValues: { ':zero': { N: '0' }, ':o': { S: owner } },
      })).catch(() => {});
      throw new KillError(`stopped after ${now.length} change(s) of batch ${push.batch_id}`);
    }

    const answer = {
      applied: results.filter((r) => r.status === 'applied').length,
      cursor: String(await this.currentSeq(pk)),
      results,
    };
    try {
      await this.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { PK: { S: pk }, SK: { S: bsk } },
        UpdateExpression: 'SET #st = :done, #a = :a REMOVE #o, #l',
        ConditionExpression: '#o = :o',
        ExpressionAttributeNames: { '#st': 'state', '#a': 'answer', '#o': 'owner', '#l': 'lease' },
        ExpressionAttributeValues: {
          ':done': { S: 'done' }, ':a': { S: JSON.stringify(answer) }, ':o': { S: owner },
        },
      }));
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      const again = await this.getItem(pk, bsk);
      if (again?.state.S === 'done') return JSON.parse(again.answer.S);
      throw new ApiError(409, 'batch_in_progress',
        `batch ${push.batch_id} was taken over by another request; retry`, { headers: { 'Retry-After': '1' } });
    }
    return answer;
  }

  async recordResults(pk, bsk, owner, fresh) {
    if (fresh.size === 0) return;
    const names = { '#r': 'r', '#o': 'owner' };
    const values = { ':o': { S: owner } };
    const sets = [];
    let n = 0;
    for (const [i, res] of fresh) {
      names[`#k${n}`] = String(i);
      values[`:v${n}`] = toAttr(res);
      sets.push(`#r.#k${n} = :v${n}`);
      n += 1;
    }
    try {
      await this.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { PK: { S: pk }, SK: { S: bsk } },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#o = :o',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }));
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      throw new ApiError(409, 'batch_in_progress',
        'this batch was taken over by another request; retry', { headers: { 'Retry-After': '1' } });
    }
  }

  /** Applies the changes at `indices`; returns Map index → result. */
  async applyChanges(pk, push, indices) {
    const out = new Map();
    let pending = indices.map((i) => {
      const change = push.changes[i];
      return { i, change, sk: entitySk(change.entity, change.id) };
    });

    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) {
        throw new ApiError(503, 'contention',
          'too many concurrent writes to the same entities; retry the batch', { headers: { 'Retry-After': '1' } });
      }
      if (round > 0) await sleep(Math.random() * Math.min(100, 5 * 2 ** round));
      const current = await this.batchGet(pk, pending.map((p) => p.sk));
      const writes = [];
      for (const p of pending) {
        const item = current.get(p.sk);
        const cur = stateFromItem(item);
        const m = mergeChange(cur, p.change);
        const base = { id: p.change.id, entity: p.change.entity };
        if (m.conflict) {
          out.set(p.i, { ...base, status: 'rejected', code: 'immutable', message: m.conflict });
          continue;
        }
        if (!m.changed) {
          out.set(p.i, { ...base, status: 'unchanged' });
          continue;
        }
        const deleted = isDeleted(m.state);
        const stateItem = {
          PK: { S: pk },
          SK: { S: p.sk },
          ent: { S: p.change.entity },
          id: { S: p.change.id },
          f: fieldsToAttr(m.state.fields),
          del: { BOOL: deleted },
          ver: { N: String((cur?.version ?? 0) + 1) },
          seq: { N: '0' },
          upd: { N: String(Date.now()) },
        };
        if (m.state.deleted_hlc) stateItem.dh = { S: m.state.deleted_hlc };
        const logItem = {
          PK: { S: pk },
          SK: { S: 'CHANGE#' },
          seq: { N: '0' },
          ent: { S: p.change.entity },
          id: { S: p.change.id },
          f: fieldsToAttr(m.winners),
          del: { BOOL: deleted },
          dev: { S: push.device_id },
          bat: { S: push.batch_id },
          at: { N: String(Date.now()) },
        };
        if (m.state.deleted_hlc) logItem.dh = { S: m.state.deleted_hlc };
        const size = Math.max(itemSize(stateItem), itemSize(logItem)) + 64;
        if (size > MAX_ITEM_BYTES) {
          out.set(p.i, {
            ...base, status: 'rejected', code: 'too_large',
            message: `the ${p.change.entity} would take about ${size} bytes, over the 400 KB item limit`,
          });
          continue;
        }
        writes.push({ p, stateItem, logItem, expected: cur?.version });
      }
      if (writes.length === 0) break;

      const first = await this.allocate(pk, writes.length);
      writes.forEach((w, j) => {
        const seq = first + j;
        w.seq = seq;
        w.logItem.SK = { S: changeSk(seq) };
        w.logItem.seq = { N: String(seq) };
        w.stateItem.seq = { N: String(seq) };
      });
      // 1. The log entries, 25 to a request.
      await this.batchPut(writes.map((w) => w.logItem));
      // 2. A pull that gave up waiting for one of these numbers left a
      //    VOID# marker first: that change takes a new number.
      const voided = await this.batchGet(pk, writes.map((w) => voidSk(w.seq)));
      const retry = [];
      const live = writes.filter((w) => {
        if (!voided.has(voidSk(w.seq))) return true;
        retry.push(w.p);
        return false;
      });
      if (retry.length > 0) {
        // Put the void entries back where ours overwrote them (a reader that
        // saw ours in between only got stamped values it will see again).
        await this.batchPut(retry.map((p) => writes.find((w) => w.p === p)).map((w) => ({
          PK: { S: pk }, SK: { S: changeSk(w.seq) }, seq: { N: String(w.seq) },
          void: { BOOL: true }, at: { N: String(Date.now()) },
        })));
      }
      // 3. The state items, each conditional on what the merge read.
      await mapLimit(live, WRITE_CONCURRENCY, async (w) => {
        try {
          await this.send(new PutItemCommand({
            TableName: this.table,
            Item: w.stateItem,
            ConditionExpression: w.expected === undefined ? 'attribute_not_exists(SK)' : '#v = :v',
            ExpressionAttributeNames: w.expected === undefined ? undefined : { '#v': 'ver' },
            ExpressionAttributeValues: w.expected === undefined ? undefined : { ':v': { N: String(w.expected) } },
          }));
        } catch (err) {
          // Someone else wrote this entity since we read it: merge again.
          if (isConditionalFailure(err)) { retry.push(w.p); return; }
          if (err.name === 'ValidationException' && /size/i.test(err.message)) {
            out.set(w.p.i, {
              id: w.p.change.id, entity: w.p.change.entity, status: 'rejected', code: 'too_large',
              message: 'the item is over the 400 KB limit',
            });
            return;
          }
          throw err;
        }
        out.set(w.p.i, { id: w.p.change.id, entity: w.p.change.entity, status: 'applied', seq: w.seq });
      });
      pending = retry;
    }
    return out;
  }

  // Pull ------------------------------------------------------------------------

  /**
   * Waits for log entry `seq` to appear. After the grace period it gives the
   * number up: first a VOID# marker (which the writer checks before it writes
   * its state, and then takes a new number), then a void log entry unless the
   * real one got there first. The caller reads whichever is there.
   */
  async settleGap(pk, seq) {
    const deadline = Date.now() + this.gapGraceMs;
    while (Date.now() < deadline) {
      if (await this.getItem(pk, changeSk(seq))) return;
      await sleep(25);
    }
    const at = { N: String(Date.now()) };
    for (const Item of [
      { PK: { S: pk }, SK: { S: voidSk(seq) }, seq: { N: String(seq) }, at },
      { PK: { S: pk }, SK: { S: changeSk(seq) }, seq: { N: String(seq) }, void: { BOOL: true }, at },
    ]) {
      try {
        await this.send(new PutItemCommand({ TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(SK)' }));
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
      }
    }
  }

  /**
   * The changes after `cursor`, at most `limit`, in sequence order, from at
   * most one 1 MB Query page (plus re-reads around a gap).
   */
  async pull(sub, cursor, limit) {
    const pk = userPk(sub);
    const top = await this.currentSeq(pk);
    if (cursor > top) {
      throw new ApiError(409, 'cursor_invalid',
        `cursor ${cursor} is ahead of this account's log (${top}): start again from cursor 0`);
    }
    const changes = [];
    let expected = cursor + 1;
    let hasMore = false;
    let gaps = 0;
    outer: while (expected <= top) {
      const out = await this.send(new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':pk': { S: pk }, ':lo': { S: changeSk(expected) }, ':hi': { S: changeSk(top) },
        },
        ConsistentRead: true,
        Limit: limit - changes.length + 1,
      }));
      for (const item of out.Items ?? []) {
        const seq = Number(item.seq.N);
        if (seq !== expected) {
          // A number given out but not yet written: never step over it.
          gaps += 1;
          if (gaps > 8) break outer;
          await this.settleGap(pk, expected);
          continue outer;
        }
        if (changes.length >= limit) { hasMore = true; break outer; }
        if (!item.void?.BOOL) {
          changes.push({
            seq,
            entity: item.ent.S,
            id: item.id.S,
            fields: fieldsFromAttr(item.f),
            deleted: item.del?.BOOL ?? false,
            deleted_hlc: item.dh?.S ?? null,
          });
        }
        cursor = seq;
        expected = seq + 1;
      }
      // A 1 MB page ended early: let the client ask again from here.
      if (out.LastEvaluatedKey && expected <= top) hasMore = true;
      break;
    }
    return { changes, cursor: String(cursor), has_more: hasMore };
  }

  // Test support ----------------------------------------------------------------

  /** Every item of one user, decoded (for tests and debugging). */
  async items(sub) {
    const pk = userPk(sub);
    const items = [];
    let start;
    do {
      const out = await this.send(new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }));
      for (const it of out.Items ?? []) {
        items.push(Object.fromEntries(Object.entries(it).map(([k, a]) => [k, fromAttr(a)])));
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Deletes every item in the table. */
  async reset() {
    let start;
    let deleted = 0;
    do {
      const out = await this.send(new ScanCommand({
        TableName: this.table, ExclusiveStartKey: start, ProjectionExpression: 'PK, SK',
      }));
      const keys = out.Items ?? [];
      for (let i = 0; i < keys.length; i += 25) {
        let requests = keys.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: { PK: k.PK, SK: k.SK } } }));
        while (requests.length > 0) {
          const res = await this.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: requests } }));
          requests = res.UnprocessedItems?.[this.table] ?? [];
        }
      }
      deleted += keys.length;
      start = out.LastEvaluatedKey;
    } while (start);
    return deleted;
  }
}
