// The sync contract through real HTTP against the real stack (dynalite +
// oidc-provider): push/pull, merge rules, idempotency, limits, validation,
// isolation, concurrency, pagination and the profile.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { admin, change, client, f, hlc, uuid } from './helpers/api.mjs';
import { login } from './helpers/login.mjs';
import { startServer } from './helpers/server.mjs';

let srv;
let a; // learner@example.com
let b; // other@example.com
let adm;
let batchNo = 0;
const batchId = () => `batch-${process.pid}-${(batchNo += 1)}`;

before(async () => {
  srv = await startServer();
  const [ua, ub] = srv.users;
  const ta = await login({ issuer: srv.issuer, clientId: srv.client_id, email: ua.email, password: ua.password });
  const tb = await login({ issuer: srv.issuer, clientId: srv.client_id, email: ub.email, password: ub.password });
  a = client(srv.api, ta.access_token);
  b = client(srv.api, tb.access_token);
  adm = admin(srv);
});
after(async () => { await srv.stop(); });
beforeEach(async () => { assert.equal((await adm.reset()).status, 200); });

async function pushOk(api, changes, device = 'dev-a', id = batchId()) {
  const r = await api.push({ device_id: device, batch_id: id, changes });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** The current state of each entity, folded from a full pull as a client would. */
async function pulledState(api) {
  const { changes } = await api.pullAll('0', 1000);
  const state = new Map();
  for (const c of changes) {
    const key = `${c.entity}:${c.id}`;
    const s = state.get(key) ?? { fields: {}, deleted_hlc: null };
    for (const [k, fv] of Object.entries(c.fields)) if (!s.fields[k] || fv.hlc > s.fields[k].hlc) s.fields[k] = fv;
    if (c.deleted_hlc && (!s.deleted_hlc || c.deleted_hlc > s.deleted_hlc)) s.deleted_hlc = c.deleted_hlc;
    s.deleted = c.deleted;
    state.set(key, s);
  }
  return state;
}

const value = (s, k) => s.fields[k]?.value;

/** One turn result of a scenario run, with some members replaced (undefined leaves one out). */
function turnResult(over = {}) {
  const r = { turn_index: 1, score: 80, answer: 'Una mesa para dos', hints_used: 1, attempts: 2, skipped: false, ...over };
  for (const k of Object.keys(r)) if (r[k] === undefined) delete r[k];
  return r;
}
const turnResults = (over) => JSON.stringify([turnResult(over)]);

/** A card's phrase_source, with some members replaced (undefined leaves one out). */
function phraseSource(over = {}) {
  const p = { scenario_id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', turn_index: 1, phrase_key: 'para dos', ...over };
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return JSON.stringify(p);
}

describe('push and pull', () => {
  test('round trip', async () => {
    const deck = uuid();
    const card = uuid();
    const t = hlc(Date.now());
    const ans = await pushOk(a, [
      change('deck', deck, f({ name: ['Spanish', t] })),
      change('card', card, f({ deck_id: [deck, t], front: ['hola', t], back: ['hello', t], notes: [null, t], tags: ['greeting basics', t] })),
    ]);
    assert.equal(ans.applied, 2);
    assert.equal(ans.cursor, '2');
    assert.deepEqual(ans.results.map((r) => [r.id, r.entity, r.status, r.seq]), [
      [deck, 'deck', 'applied', 1], [card, 'card', 'applied', 2],
    ]);
    const p = await a.pull('0', 10);
    assert.equal(p.status, 200);
    assert.equal(p.body.cursor, '2');
    assert.equal(p.body.has_more, false);
    assert.deepEqual(p.body.changes, [
      { seq: 1, entity: 'deck', id: deck, fields: f({ name: ['Spanish', t] }), deleted: false, deleted_hlc: null },
      {
        seq: 2, entity: 'card', id: card,
        fields: f({ deck_id: [deck, t], front: ['hola', t], back: ['hello', t], notes: [null, t], tags: ['greeting basics', t] }),
        deleted: false, deleted_hlc: null,
      },
    ]);
    const next = await a.pull(p.body.cursor);
    assert.deepEqual(next.body, { changes: [], cursor: '2', has_more: false });
    const none = await a.pull();
    assert.equal(none.body.changes.length, 2, 'no cursor means from the start');
  });

  test('every entity kind round-trips', async () => {
    const t = hlc(1_700_000_000_000);
    const ids = { deck: uuid(), card: uuid(), review: uuid(), session: uuid(), scenario: uuid() };
    const content = JSON.stringify({ title: 'At the café', level: 'A2', turns: [{ kind: 'partner', text: 'Hola' }] });
    const changes = [
      change('deck', ids.deck, f({ name: ['D', t] })),
      change('card', ids.card, f({ deck_id: [ids.deck, t], front: ['a', t], back: ['b', t], example: ['ex', t] })),
      change('review', ids.review, f({
        card_id: [ids.card, t], rating: [3, t], time_us: [1_700_000_000_000_000, t], duration_ms: [4200, t],
        state_before: [0, t], session_id: [ids.session, t],
      })),
      change('session', ids.session, f({
        kind: ['review', t], started_us: [1_700_000_000_000_000, t], ended_us: [0, t],
        counts: [{ again: 1, hard: 0, good: 2, easy: 0 }, t], time_ms: [9000, t], scenario_id: [null, t], score: [0, t],
      })),
      change('scenario', ids.scenario, f({ content: [content, t] })),
    ];
    assert.equal((await pushOk(a, changes)).applied, 5);
    const { changes: got } = await a.pullAll();
    assert.deepEqual(got.map((c) => ({ entity: c.entity, id: c.id, fields: c.fields })),
      changes.map((c) => ({ entity: c.entity, id: c.id, fields: c.fields })));
  });
});

describe('merge rules', () => {
  test('turn results and phrase sources: accepted, null allowed, merged by their own stamps', async () => {
    const session = uuid();
    const card = uuid();
    const deck = uuid();
    const t1 = hlc(1000);
    const t2 = hlc(2000);
    const first = JSON.stringify([
      turnResult({ turn_index: 1 }),
      turnResult({ turn_index: 3, score: 0, answer: null, hints_used: 0, attempts: 0, skipped: true }),
    ]);
    const ans = await pushOk(a, [
      change('session', session, f({
        kind: ['scenario', t1], started_us: [1, t1], ended_us: [2, t1], scenario_id: [uuid(), t1], score: [40, t1],
        turn_results: [first, t2],
      })),
      change('card', card, f({ deck_id: [deck, t1], front: ['___ dos', t1], back: ['para dos', t1], phrase_source: [phraseSource(), t2] })),
    ]);
    assert.deepEqual(ans.results.map((r) => r.status), ['applied', 'applied']);

    // an older write of the results loses; a newer one wins alone
    const older = await pushOk(a, [change('session', session, f({ turn_results: [turnResults({ score: 10 }), hlc(1500, 0, 'dev-b')] }))], 'dev-b');
    assert.equal(older.results[0].status, 'unchanged');
    const newer = await pushOk(a, [change('session', session, f({ turn_results: [turnResults({ score: 90 }), hlc(3000, 0, 'dev-b')] }))], 'dev-b');
    assert.equal(newer.results[0].status, 'applied');
    // null is a value like any other (a card not made from a phrase)
    const none = await pushOk(a, [change('card', uuid(), f({ deck_id: [deck, t1], front: ['x', t1], back: ['y', t1], phrase_source: [null, t1] }))]);
    assert.equal(none.results[0].status, 'applied');

    const state = await pulledState(a);
    const s = state.get(`session:${session}`);
    assert.equal(value(s, 'turn_results'), turnResults({ score: 90 }));
    assert.equal(s.fields.turn_results.hlc, hlc(3000, 0, 'dev-b'));
    assert.equal(value(s, 'score'), 40, 'the other fields keep their own stamp');
    const c = state.get(`card:${card}`);
    assert.equal(value(c, 'phrase_source'), phraseSource());
    assert.equal(c.fields.phrase_source.hlc, t2);
  });

  test('per-field last-writer-wins by HLC', async () => {
    const card = uuid();
    const deck = uuid();
    await pushOk(a, [change('card', card, f({ deck_id: [deck, hlc(100)], front: ['f1', hlc(100)], back: ['b1', hlc(100)] }))]);
    const newer = await pushOk(a, [change('card', card, f({ front: ['f2', hlc(200, 0, 'dev-b')] }))], 'dev-b');
    assert.equal(newer.results[0].status, 'applied');
    const older = await pushOk(a, [change('card', card, f({ front: ['f-old', hlc(150, 0, 'dev-c')], back: ['b2', hlc(150, 0, 'dev-c')] }))], 'dev-c');
    assert.equal(older.results[0].status, 'applied', 'back is newer, so the change applies in part');
    const same = await pushOk(a, [change('card', card, f({ front: ['f-old', hlc(150, 0, 'dev-c')] }))], 'dev-c');
    assert.equal(same.results[0].status, 'unchanged');
    assert.equal(same.applied, 0);
    const s = (await pulledState(a)).get(`card:${card}`);
    assert.equal(value(s, 'front'), 'f2');
    assert.equal(value(s, 'back'), 'b2');
    // The log holds only the fields that won.
    const { changes } = await a.pullAll();
    assert.deepEqual(Object.keys(changes.at(-1).fields), ['back']);
  });

  test('equal time and counter: the larger device id wins, whatever the order', async () => {
    for (const order of [['dev-a', 'dev-b'], ['dev-b', 'dev-a']]) {
      const deck = uuid();
      for (const dev of order) await pushOk(a, [change('deck', deck, f({ name: [`from ${dev}`, hlc(500, 7, dev)] }))], dev);
      const s = (await pulledState(a)).get(`deck:${deck}`);
      assert.equal(value(s, 'name'), 'from dev-b', order.join(' then '));
    }
  });

  test('a tombstone wins over older field stamps and loses to newer ones', async () => {
    const card = uuid();
    const deck = uuid();
    await pushOk(a, [change('card', card, f({ deck_id: [deck, hlc(100)], front: ['x', hlc(100)], back: ['y', hlc(100)] }))]);
    const del = await pushOk(a, [change('card', card, {}, { deleted: true, deleted_hlc: hlc(200, 0, 'dev-b') })], 'dev-b');
    assert.equal(del.results[0].status, 'applied');
    let p = await a.pullAll();
    assert.equal(p.changes.at(-1).deleted, true);
    assert.equal(p.changes.at(-1).deleted_hlc, hlc(200, 0, 'dev-b'));

    // An edit older than the tombstone is merged but the card stays deleted.
    await pushOk(a, [change('card', card, f({ notes: ['late', hlc(150)] }))]);
    p = await a.pullAll();
    assert.equal(p.changes.at(-1).deleted, true);

    // An edit newer than the tombstone brings the card back.
    await pushOk(a, [change('card', card, f({ back: ['z', hlc(300)] }))]);
    p = await a.pullAll();
    assert.equal(p.changes.at(-1).deleted, false);
    assert.equal(p.changes.at(-1).deleted_hlc, hlc(200, 0, 'dev-b'));

    // An older tombstone changes nothing; a newer one deletes again.
    const stale = await pushOk(a, [change('card', card, {}, { deleted: true, deleted_hlc: hlc(120) })]);
    assert.equal(stale.results[0].status, 'unchanged');
    await pushOk(a, [change('card', card, {}, { deleted: true, deleted_hlc: hlc(400) })]);
    assert.equal((await pulledState(a)).get(`card:${card}`).deleted, true);
  });

  test('a tombstone older than the edits it meets does not delete', async () => {
    const deck = uuid();
    await pushOk(a, [change('deck', deck, f({ name: ['keep', hlc(500)] }))]);
    await pushOk(a, [change('deck', deck, {}, { deleted: true, deleted_hlc: hlc(400) })]);
    assert.equal((await pulledState(a)).get(`deck:${deck}`).deleted, false);
  });

  test('reviews: a union of inserts, never changed, tombstoned for undo', async () => {
    const card = uuid();
    const r1 = uuid();
    const r2 = uuid();
    const review = (id, rating, dev, ms) => change('review', id, f({
      card_id: [card, hlc(ms, 0, dev)], rating: [rating, hlc(ms, 0, dev)], time_us: [ms * 1000, hlc(ms, 0, dev)],
      duration_ms: [1000, hlc(ms, 0, dev)], state_before: [2, hlc(ms, 0, dev)],
    }));
    // The same card studied offline on two machines.
    await Promise.all([
      pushOk(a, [review(r1, 3, 'laptop', 1000)], 'laptop'),
      pushOk(a, [review(r2, 1, 'desktop', 2000)], 'desktop'),
    ]);
    const { changes } = await a.pullAll();
    assert.deepEqual(changes.map((c) => c.id).sort(), [r1, r2].sort());

    const again = await pushOk(a, [review(r1, 3, 'laptop', 1000)], 'laptop');
    assert.equal(again.results[0].status, 'unchanged');
    // Even a "newer" stamp cannot rewrite an answer.
    const rewrite = await pushOk(a, [review(r1, 4, 'laptop', 9000)], 'laptop');
    assert.equal(rewrite.results[0].status, 'rejected');
    assert.equal(rewrite.results[0].code, 'immutable');
    assert.equal(rewrite.applied, 0);
    const undo = await pushOk(a, [change('review', r2, {}, { deleted: true, deleted_hlc: hlc(3000, 0, 'desktop') })], 'desktop');
    assert.equal(undo.results[0].status, 'applied');
    const s = await pulledState(a);
    assert.equal(value(s.get(`review:${r1}`), 'rating'), 3);
    assert.equal(s.get(`review:${r2}`).deleted, true);
    assert.equal(value(s.get(`review:${r2}`), 'rating'), 1, 'a tombstoned review keeps its answer');
  });

  test('a review needs card_id, rating and time_us', async () => {
    const r = await a.push({
      device_id: 'd', batch_id: batchId(), changes: [change('review', uuid(), f({ rating: [3, hlc(1)] }))],
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'validation');
  });
});

describe('idempotency and limits', () => {
  test('the same batch twice: same answer, applied once', async () => {
    const id = batchId();
    const changes = Array.from({ length: 5 }, (_, i) => change('deck', uuid(), f({ name: [`deck ${i}`, hlc(10 + i)] })));
    const first = await a.push({ device_id: 'dev-a', batch_id: id, changes });
    const second = await a.push({ device_id: 'dev-a', batch_id: id, changes });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, first.body);
    const items = (await adm.items(srv.sub)).body.items;
    assert.equal(items.filter((it) => it.SK.startsWith('CHANGE#')).length, 5, 'no duplicate log entries');
    assert.equal((await a.pullAll()).changes.length, 5);
  });

  test('the same batch sent twice at once applies once', async () => {
    const body = { device_id: 'dev-a', batch_id: batchId(), changes: Array.from({ length: 30 }, (_, i) => change('deck', uuid(), f({ name: [`d${i}`, hlc(1)] }))) };
    const both = await Promise.all([a.push(body), a.push(body)]);
    for (const r of both) {
      assert.ok([200, 409].includes(r.status), r.text);
      if (r.status === 409) {
        assert.equal(r.body.code, 'batch_in_progress');
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
      }
    }
    const settled = await a.push(body);
    assert.equal(settled.status, 200);
    assert.equal(settled.body.applied, 30);
    for (const r of both.filter((x) => x.status === 200)) assert.deepEqual(r.body, settled.body);
    const items = (await adm.items(srv.sub)).body.items;
    assert.equal(items.filter((it) => it.SK.startsWith('CHANGE#')).length, 30);
  });

  test('the same batch with its keys in another order is the same batch', async () => {
    const id = uuid();
    const t = hlc(9);
    const bid = batchId();
    const one = await a.push({ device_id: 'dev-a', batch_id: bid, changes: [{ entity: 'card', id, fields: { front: { value: 'x', hlc: t }, back: { value: 'y', hlc: t } } }] });
    const two = await a.push({ batch_id: bid, changes: [{ fields: { back: { hlc: t, value: 'y' }, front: { value: 'x', hlc: t } }, id, entity: 'card' }], device_id: 'dev-a' });
    assert.equal(two.status, 200);
    assert.deepEqual(two.body, one.body);
  });

  test('a batch_id reused for other changes → 409 batch_conflict', async () => {
    const id = batchId();
    await pushOk(a, [change('deck', uuid(), f({ name: ['one', hlc(1)] }))], 'dev-a', id);
    const r = await a.push({ device_id: 'dev-a', batch_id: id, changes: [change('deck', uuid(), f({ name: ['two', hlc(2)] }))] });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'batch_conflict');
    assert.equal((await a.pullAll()).changes.length, 1);
  });

  test('101 changes → 413 batch_too_large, nothing applied; 100 are fine', async () => {
    const make = (n) => Array.from({ length: n }, (_, i) => change('deck', uuid(), f({ name: [`d${i}`, hlc(1)] })));
    const r = await a.push({ device_id: 'dev-a', batch_id: batchId(), changes: make(101) });
    assert.equal(r.status, 413);
    assert.equal(r.body.code, 'batch_too_large');
    assert.equal(typeof r.body.message, 'string');
    assert.equal((await a.pullAll()).changes.length, 0);
    assert.equal((await pushOk(a, make(100))).applied, 100);
  });

  test('an entity over the 400 KB item limit is rejected alone (too_large)', async () => {
    const big = uuid();
    const small = uuid();
    const content = JSON.stringify({ title: 'big', text: 'é'.repeat(250_000) }); // ~500 KB of UTF-8
    const ans = await pushOk(a, [
      change('scenario', big, f({ content: [content, hlc(1)] })),
      change('deck', small, f({ name: ['fine', hlc(1)] })),
    ]);
    assert.equal(ans.results[0].status, 'rejected');
    assert.equal(ans.results[0].code, 'too_large');
    assert.equal(ans.results[1].status, 'applied');
    assert.equal(ans.applied, 1);
    const { changes } = await a.pullAll();
    assert.deepEqual(changes.map((c) => c.id), [small]);
  });

  test('a body over 6 MB → 413 payload_too_large', async () => {
    const r = await a.call('POST', '/sync/push', 'x'.repeat(6 * 1024 * 1024 + 10));
    assert.equal(r.status, 413);
    assert.equal(r.body.code, 'payload_too_large');
  });
});

describe('validation', () => {
  const cases = [
    ['not JSON', '{"device_id": ', 'invalid_json'],
    ['not an object', [], 'validation'],
    ['no batch_id', { device_id: 'd', changes: [] }, 'validation'],
    ['bad device_id', { device_id: 'a b', batch_id: 'x', changes: [] }, 'validation'],
    ['unknown member', { device_id: 'd', batch_id: 'x', changes: [], extra: 1 }, 'validation'],
    ['unknown entity', { entity: 'spaceship', id: uuid(), fields: f({ name: ['x', hlc(1)] }) }],
    ['upper-case id', { entity: 'deck', id: uuid().toUpperCase(), fields: f({ name: ['x', hlc(1)] }) }],
    ['not a uuid', { entity: 'deck', id: 'deck-1', fields: f({ name: ['x', hlc(1)] }) }],
    ['unknown field', { entity: 'deck', id: uuid(), fields: f({ colour: ['red', hlc(1)] }) }],
    ['field of another entity', { entity: 'deck', id: uuid(), fields: f({ front: ['x', hlc(1)] }) }],
    ['upper-case hlc', { entity: 'deck', id: uuid(), fields: f({ name: ['x', '0000000000AB-0000-dev'] }) }],
    ['short hlc', { entity: 'deck', id: uuid(), fields: f({ name: ['x', '1-1-dev'] }) }],
    ['number hlc', { entity: 'deck', id: uuid(), fields: { name: { value: 'x', hlc: 5 } } }],
    ['no value', { entity: 'deck', id: uuid(), fields: { name: { hlc: hlc(1) } } }],
    ['empty deck name', { entity: 'deck', id: uuid(), fields: f({ name: ['  ', hlc(1)] }) }],
    ['deck name of 101 characters', { entity: 'deck', id: uuid(), fields: f({ name: ['ß'.repeat(101), hlc(1)] }) }],
    ['NUL in text', { entity: 'deck', id: uuid(), fields: f({ name: ['a\u0000b', hlc(1)] }) }],
    ['lone surrogate', { entity: 'deck', id: uuid(), fields: f({ name: ['a\ud800b', hlc(1)] }) }],
    ['front of 10001 characters', { entity: 'card', id: uuid(), fields: f({ front: ['x'.repeat(10001), hlc(1)] }) }],
    ['rating 5', { entity: 'review', id: uuid(), fields: f({ card_id: [uuid(), hlc(1)], rating: [5, hlc(1)], time_us: [1, hlc(1)] }) }],
    ['rating as text', { entity: 'review', id: uuid(), fields: f({ card_id: [uuid(), hlc(1)], rating: ['3', hlc(1)], time_us: [1, hlc(1)] }) }],
    ['fractional time', { entity: 'review', id: uuid(), fields: f({ card_id: [uuid(), hlc(1)], rating: [3, hlc(1)], time_us: [1.5, hlc(1)] }) }],
    ['session kind', { entity: 'session', id: uuid(), fields: f({ kind: ['nap', hlc(1)] }) }],
    ['session counts', { entity: 'session', id: uuid(), fields: f({ counts: [{ again: -1, hard: 0, good: 0, easy: 0 }, hlc(1)] }) }],
    ['score 101', { entity: 'session', id: uuid(), fields: f({ score: [101, hlc(1)] }) }],
    ['scenario content not JSON', { entity: 'scenario', id: uuid(), fields: f({ content: ['{oops', hlc(1)] }) }],
    ['turn_results on a card', { entity: 'card', id: uuid(), fields: f({ turn_results: [turnResults(), hlc(1)] }) }],
    ['phrase_source on a session', { entity: 'session', id: uuid(), fields: f({ phrase_source: [phraseSource(), hlc(1)] }) }],
    ['null front', { entity: 'card', id: uuid(), fields: f({ front: [null, hlc(1)] }) }],
    ['deleted without stamp', { entity: 'deck', id: uuid(), deleted: true }],
    ['stamp without deleted', { entity: 'deck', id: uuid(), fields: f({ name: ['x', hlc(1)] }), deleted_hlc: hlc(1) }],
    ['deleted not boolean', { entity: 'deck', id: uuid(), deleted: 'yes', deleted_hlc: hlc(1) }],
    ['empty change', { entity: 'deck', id: uuid(), fields: {} }],
  ];
  for (const [name, body, code = 'validation'] of cases) {
    test(`${name} → 400 ${code}`, async () => {
      const isChange = body && typeof body === 'object' && !Array.isArray(body) && 'entity' in body;
      const payload = isChange ? { device_id: 'dev-a', batch_id: batchId(), changes: [body] } : body;
      const r = await a.call('POST', '/sync/push', payload);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.code, code);
      assert.equal(typeof r.body.message, 'string');
      assert.ok(r.body.message.length > 0);
    });
  }

  // A value of the new JSON text fields that breaks their shape: refused
  // for that reason (details.path is the field's value, not the field).
  const shapeCases = [
    ['turn_results not JSON', { entity: 'session', id: uuid(), fields: f({ turn_results: ['[{', hlc(1)] }) }],
    ['turn_results not text', { entity: 'session', id: uuid(), fields: f({ turn_results: [[turnResult()], hlc(1)] }) }],
    ['turn_results an object', { entity: 'session', id: uuid(), fields: f({ turn_results: [JSON.stringify(turnResult()), hlc(1)] }) }],
    ['turn result score 101', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ score: 101 }), hlc(1)] }) }],
    ['turn result score 50.5', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ score: 50.5 }), hlc(1)] }) }],
    ['turn result turn_index 64', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ turn_index: 64 }), hlc(1)] }) }],
    ['turn result unknown member', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ bonus: 1 }), hlc(1)] }) }],
    ['turn result without skipped', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ skipped: undefined }), hlc(1)] }) }],
    ['turn result skipped as 1', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ skipped: 1 }), hlc(1)] }) }],
    ['turn result answer as number', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ answer: 7 }), hlc(1)] }) }],
    ['turn result negative attempts', { entity: 'session', id: uuid(), fields: f({ turn_results: [turnResults({ attempts: -1 }), hlc(1)] }) }],
    ['turn results twice the same turn', {
      entity: 'session', id: uuid(),
      fields: f({ turn_results: [JSON.stringify([turnResult({ turn_index: 3 }), turnResult({ turn_index: 3 })]), hlc(1)] }),
    }],
    ['turn results out of order', {
      entity: 'session', id: uuid(),
      fields: f({ turn_results: [JSON.stringify([turnResult({ turn_index: 3 }), turnResult({ turn_index: 1 })]), hlc(1)] }),
    }],
    ['phrase_source not JSON', { entity: 'card', id: uuid(), fields: f({ phrase_source: ['{"scenario_id"', hlc(1)] }) }],
    ['phrase_source an array', { entity: 'card', id: uuid(), fields: f({ phrase_source: ['[]', hlc(1)] }) }],
    ['phrase_source without phrase_key', { entity: 'card', id: uuid(), fields: f({ phrase_source: [phraseSource({ phrase_key: undefined }), hlc(1)] }) }],
    ['phrase_source blank phrase_key', { entity: 'card', id: uuid(), fields: f({ phrase_source: [phraseSource({ phrase_key: '  ' }), hlc(1)] }) }],
    ['phrase_source upper-case scenario_id', {
      entity: 'card', id: uuid(), fields: f({ phrase_source: [phraseSource({ scenario_id: uuid().toUpperCase() }), hlc(1)] }),
    }],
    ['phrase_source turn_index as text', { entity: 'card', id: uuid(), fields: f({ phrase_source: [phraseSource({ turn_index: '2' }), hlc(1)] }) }],
    ['phrase_source unknown member', { entity: 'card', id: uuid(), fields: f({ phrase_source: [phraseSource({ card_id: uuid() }), hlc(1)] }) }],
  ];
  for (const [name, body] of shapeCases) {
    test(`${name} → 400 validation`, async () => {
      const r = await a.push({ device_id: 'dev-a', batch_id: batchId(), changes: [body] });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.code, 'validation');
      const field = Object.keys(body.fields)[0];
      assert.equal(r.body.details.path, `changes[0].fields.${field}.value`, r.body.message);
      assert.ok(r.body.message.startsWith(`changes[0].fields.${field}.value`), r.body.message);
    });
  }

  test('one bad change rejects the whole batch', async () => {
    const r = await a.push({
      device_id: 'dev-a', batch_id: batchId(), changes: [
        change('deck', uuid(), f({ name: ['fine', hlc(1)] })),
        change('deck', uuid(), f({ name: ['', hlc(1)] })),
      ],
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.details.path, 'changes[1].fields.name.value');
    assert.equal((await a.pullAll()).changes.length, 0);
  });

  test('a malformed turn result names the field and the place inside it', async () => {
    const r = await a.push({
      device_id: 'dev-a', batch_id: batchId(), changes: [
        change('session', uuid(), f({
          turn_results: [JSON.stringify([turnResult({ turn_index: 0 }), turnResult({ turn_index: 2, hints_used: 'two' })]), hlc(1)],
        })),
      ],
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'validation');
    assert.equal(r.body.details.path, 'changes[0].fields.turn_results.value');
    assert.match(r.body.message, /\[1\]\.hints_used must be an integer/);
    assert.equal((await a.pullAll()).changes.length, 0);
  });

  test('two changes to one entity in a batch → 400', async () => {
    const id = uuid();
    const r = await a.push({
      device_id: 'dev-a', batch_id: batchId(), changes: [
        change('deck', id, f({ name: ['one', hlc(1)] })), change('deck', id, f({ name: ['two', hlc(2)] })),
      ],
    });
    assert.equal(r.status, 400);
  });

  test('pull parameters', async () => {
    for (const q of ['cursor=abc', 'cursor=-1', 'limit=0', 'limit=1001', 'limit=x', 'since=3']) {
      const r = await a.call('GET', `/sync/pull?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.code, 'validation', q);
    }
    const ahead = await a.pull('99');
    assert.equal(ahead.status, 409);
    assert.equal(ahead.body.code, 'cursor_invalid');
  });

  test('unknown routes and methods', async () => {
    assert.equal((await a.call('GET', '/nope')).status, 404);
    const r = await a.call('DELETE', '/sync/push');
    assert.equal(r.status, 405);
    assert.equal(r.body.code, 'method_not_allowed');
  });
});

describe('users, concurrency, pages', () => {
  test('two users never see each other\'s data', async () => {
    const id = uuid();
    await pushOk(a, [change('deck', id, f({ name: ['mine', hlc(5)] }))]);
    assert.deepEqual((await b.pull('0')).body, { changes: [], cursor: '0', has_more: false });
    // The same id under another account is another entity, and the same batch_id another batch.
    const shared = batchId();
    await pushOk(b, [change('deck', id, f({ name: ['theirs', hlc(1)] }))], 'dev-x', shared);
    const ans = await pushOk(a, [change('deck', uuid(), f({ name: ['x', hlc(1)] }))], 'dev-a', shared);
    assert.equal(ans.applied, 1);
    assert.equal(value((await pulledState(a)).get(`deck:${id}`), 'name'), 'mine');
    assert.equal(value((await pulledState(b)).get(`deck:${id}`), 'name'), 'theirs');
    assert.equal((await b.pullAll()).changes.length, 1);
    await b.putProfile({ display_name: 'B' });
    assert.equal((await a.getProfile()).body.display_name, null);
  });

  test('concurrent pushes to one card keep every field', async () => {
    const fields = ['front', 'back', 'notes', 'example', 'tags'];
    for (let round = 0; round < 5; round += 1) {
      const card = uuid();
      const deck = uuid();
      await pushOk(a, [change('card', card, f({ deck_id: [deck, hlc(1)], front: ['f', hlc(1)], back: ['b', hlc(1)] }))]);
      const results = await Promise.all(fields.map((name, i) => a.push({
        device_id: `dev-${i}`,
        batch_id: batchId(),
        changes: [change('card', card, f({ [name]: [`${name}-${round}`, hlc(100 + round, 0, `dev-${i}`)] }))],
      })));
      for (const r of results) {
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.results[0].status, 'applied');
      }
      const s = (await pulledState(a)).get(`card:${card}`);
      for (const name of fields) assert.equal(value(s, name), `${name}-${round}`, `${name} in round ${round}`);
    }
    // The log has no holes and no number twice.
    const { changes } = await a.pullAll('0', 7);
    assert.deepEqual(changes.map((c) => c.seq), changes.map((_, i) => i + 1));
  });

  test('concurrent pushes to the same field resolve by HLC', async () => {
    const deck = uuid();
    const stamps = ['dev-c', 'dev-a', 'dev-e', 'dev-b', 'dev-d'].map((d) => hlc(777, 1, d));
    await Promise.all(stamps.map((st, i) => a.push({
      device_id: `dev-${i}`, batch_id: batchId(), changes: [change('deck', deck, f({ name: [st, st] }))],
    })));
    assert.equal(value((await pulledState(a)).get(`deck:${deck}`), 'name'), hlc(777, 1, 'dev-e'));
  });

  test('two clients pushing and pulling at once miss nothing', async () => {
    const ids = [];
    const pushes = [];
    for (let i = 0; i < 6; i += 1) {
      const changes = Array.from({ length: 20 }, () => {
        const id = uuid();
        ids.push(id);
        return change('deck', id, f({ name: [`n${i}`, hlc(1)] }));
      });
      pushes.push(a.push({ device_id: `dev-${i % 2}`, batch_id: batchId(), changes }));
    }
    // A reader pulls page by page while the writers write.
    const seen = [];
    let cursor = '0';
    const reader = (async () => {
      for (let k = 0; k < 40; k += 1) {
        const r = await a.pull(cursor, 13);
        seen.push(...r.body.changes);
        cursor = r.body.cursor;
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    await Promise.all([...pushes, reader]);
    const rest = await a.pullAll(cursor, 50);
    seen.push(...rest.changes);
    assert.deepEqual(seen.map((c) => c.seq), seen.map((_, i) => i + 1), 'in order, no gaps, no repeats');
    assert.deepEqual(seen.map((c) => c.id).sort(), ids.sort());
  });

  test('pull pages with limit, has_more and cursor', async () => {
    const ids = [];
    for (let batch = 0; batch < 3; batch += 1) {
      const changes = Array.from({ length: batch === 2 ? 50 : 100 }, (_, i) => {
        const id = uuid();
        ids.push(id);
        return change('deck', id, f({ name: [`d${batch}-${i}`, hlc(1)] }));
      });
      await pushOk(a, changes);
    }
    const p1 = await a.pull('0', 100);
    const p2 = await a.pull(p1.body.cursor, 100);
    const p3 = await a.pull(p2.body.cursor, 100);
    assert.deepEqual([p1, p2, p3].map((p) => [p.body.changes.length, p.body.has_more, p.body.cursor]), [
      [100, true, '100'], [100, true, '200'], [50, false, '250'],
    ]);
    const all = [...p1.body.changes, ...p2.body.changes, ...p3.body.changes];
    assert.deepEqual(all.map((c) => c.id), ids);
    const small = await a.pullAll('0', 7);
    assert.equal(small.changes.length, 250);
    assert.equal(small.pages, 36);
    const dflt = await a.pull('0');
    assert.equal(dflt.body.changes.length, 100, 'the default limit is 100');
  });

  test('a pull stops at a 1 MB DynamoDB page', async () => {
    const content = JSON.stringify({ text: 'x'.repeat(300_000) });
    for (let i = 0; i < 2; i += 1) {
      await pushOk(a, Array.from({ length: 3 }, () => change('scenario', uuid(), f({ content: [content, hlc(1)] }))));
    }
    const p = await a.pull('0', 100);
    assert.ok(p.body.changes.length < 6, `one page holds ${p.body.changes.length}`);
    assert.equal(p.body.has_more, true);
    const all = await a.pullAll('0', 100);
    assert.equal(all.changes.length, 6);
    assert.ok(all.pages >= 2);
  });
});

describe('profile', () => {
  test('defaults, update, optimistic version, validation', async () => {
    const g = await a.getProfile();
    assert.equal(g.status, 200);
    assert.deepEqual(g.body, {
      user_id: srv.sub, display_name: null, new_per_day: 20, reviews_per_day: 200,
      desired_retention: 0.9, rollover_hour: 4, version: 0, updated_at: null,
    });
    const p = await a.putProfile({ display_name: 'Ana', desired_retention: 0.85 });
    assert.equal(p.status, 200);
    assert.equal(p.body.display_name, 'Ana');
    assert.equal(p.body.desired_retention, 0.85);
    assert.equal(p.body.new_per_day, 20);
    assert.equal(p.body.version, 1);
    assert.ok(p.body.updated_at);
    const stale = await a.putProfile({ new_per_day: 5, version: 0 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'version_conflict');
    const ok = await a.putProfile({ new_per_day: 5, version: 1 });
    assert.equal(ok.body.version, 2);
    assert.deepEqual((await a.getProfile()).body, ok.body);
    for (const bad of [
      { desired_retention: 0.69 }, { desired_retention: 0.995 }, { rollover_hour: 24 }, { new_per_day: -1 },
      { reviews_per_day: 1.5 }, { display_name: 'x'.repeat(101) }, { colour: 'red' }, {},
    ]) {
      const r = await a.putProfile(bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.body.code, 'validation');
    }
    const inv = await a.call('PUT', '/profile', 'nope');
    assert.equal(inv.body.code, 'invalid_json');
  });
});
