// Fault injection (POST /__test/faults) and what a client can rely on under
// it: a push whose answer is lost or whose server "crashes" is retried with
// no duplicate and no loss; broken pull answers; the admin routes' guard.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import { admin, change, client, f, hlc, uuid } from './helpers/api.mjs';
import { login } from './helpers/login.mjs';
import { startServer } from './helpers/server.mjs';

let srv;
let api;
let adm;
let n = 0;
const batchId = () => `fault-batch-${(n += 1)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  // A fault set at start-up: the first API request is rate limited.
  srv = await startServer({ REHEARSE_FAULTS: JSON.stringify({ rate_limit_next: 1, retry_after: 2 }) });
  const t = await login({ issuer: srv.issuer, clientId: srv.client_id, email: srv.user, password: srv.password });
  api = client(srv.api, t.access_token);
  adm = admin(srv);
});
after(async () => { await srv.stop(); });

const decks = (count) => Array.from({ length: count }, (_, i) => change('deck', uuid(), f({ name: [`deck ${i}`, hlc(1000 + i)] })));
const logEntries = async () => (await adm.items(srv.sub)).body.items.filter((it) => it.SK.startsWith('CHANGE#') && !it.void);

describe('start-up faults', () => {
  test('REHEARSE_FAULTS applies from the first request', async () => {
    const r = await api.getProfile();
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '2');
    assert.equal((await api.getProfile()).status, 200);
  });
});

describe('fault injection', () => {
  beforeEach(async () => { assert.equal((await adm.reset()).status, 200); });

  test('the admin routes need the secret', async () => {
    const res = await fetch(`${srv.api}/__test/faults`, { method: 'POST', body: '{"fail_next": 1}' });
    assert.equal(res.status, 403);
    const wrong = await fetch(`${srv.api}/__test/reset`, { method: 'POST', headers: { 'x-test-secret': 'nope' } });
    assert.equal(wrong.status, 403);
    assert.equal((await api.getProfile()).status, 200, 'nothing was set');
    const bad = await adm.faults({ fail_nxt: 1 });
    assert.equal(bad.status, 400);
    assert.equal((await adm.faults({ malformed_pull: 'sideways' })).status, 400);
  });

  test('fail_next: 500s, then normal service', async () => {
    await adm.faults({ fail_next: 2 });
    for (let i = 0; i < 2; i += 1) {
      const r = await api.pull('0');
      assert.equal(r.status, 500);
      assert.equal(r.body.code, 'internal');
      assert.equal(typeof r.body.message, 'string');
    }
    assert.equal((await api.pull('0')).status, 200);
    await adm.faults({ fail_next: 1, fail_status: 503 });
    const r = await api.pull('0');
    assert.equal(r.status, 503);
    assert.equal(r.body.code, 'unavailable');
  });

  test('a failed push applied nothing', async () => {
    await adm.faults({ fail_next: 1 });
    const body = { device_id: 'dev-a', batch_id: batchId(), changes: decks(3) };
    assert.equal((await api.push(body)).status, 500);
    assert.equal((await logEntries()).length, 0);
    assert.equal((await api.push(body)).status, 200);
    assert.equal((await logEntries()).length, 3);
  });

  test('rate_limit_next: 429 with Retry-After', async () => {
    await adm.faults({ rate_limit_next: 1, retry_after: 1 });
    const r = await api.push({ device_id: 'dev-a', batch_id: batchId(), changes: decks(1) });
    assert.equal(r.status, 429);
    assert.equal(r.body.code, 'rate_limited');
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal((await logEntries()).length, 0);
  });

  test('paths limit a fault to some routes', async () => {
    await adm.faults({ fail_next: 1, paths: ['/sync/pull'] });
    assert.equal((await api.getProfile()).status, 200);
    assert.equal((await api.push({ device_id: 'd', batch_id: batchId(), changes: decks(1) })).status, 200);
    assert.equal((await api.pull('0')).status, 500);
  });

  test('drop_response_after_apply: the answer is lost, the retry gets it, nothing twice', async () => {
    await adm.faults({ drop_response_after_apply: 1 });
    const body = { device_id: 'dev-a', batch_id: batchId(), changes: decks(4) };
    await assert.rejects(api.push(body), /fetch failed|socket|terminated/i);
    assert.equal((await logEntries()).length, 4, 'applied before the answer was lost');
    const retry = await api.push(body);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.applied, 4);
    assert.deepEqual(retry.body.results.map((r) => r.status), ['applied', 'applied', 'applied', 'applied']);
    assert.equal((await logEntries()).length, 4, 'no duplicate');
    assert.equal((await api.pullAll()).changes.length, 4);
    assert.equal((await adm.getFaults()).body.fired.drop, 1);
  });

  test('kill_after_apply: the API goes down and comes back with the data', async () => {
    await adm.faults({ kill_after_apply: true, down_ms: 1500 });
    const body = { device_id: 'dev-a', batch_id: batchId(), changes: decks(3) };
    await assert.rejects(api.push(body));
    await assert.rejects(api.getProfile(), 'refused while down');
    await sleep(1800);
    const retry = await api.push(body);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.applied, 3);
    assert.equal((await logEntries()).length, 3);
  });

  test('kill_after_changes: a push dies half-way; the retry finishes it exactly once', async () => {
    await adm.faults({ kill_after_changes: 2, down_ms: 300 });
    const changes = decks(5);
    const body = { device_id: 'dev-a', batch_id: batchId(), changes };
    await assert.rejects(api.push(body));
    await sleep(500);
    assert.equal((await logEntries()).length, 2, 'two changes were applied before the crash');
    const retry = await api.push(body);
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.body.applied, 5);
    assert.deepEqual(retry.body.results.map((r) => r.seq), [1, 2, 3, 4, 5]);
    assert.equal((await logEntries()).length, 5);
    const again = await api.push(body);
    assert.deepEqual(again.body, retry.body);
    const { changes: pulled } = await api.pullAll();
    assert.deepEqual(pulled.map((c) => c.id), changes.map((c) => c.id));
  });

  test('delay_ms delays answers (for client timeouts)', async () => {
    await adm.faults({ delay_ms: 700, delay_next: 1 });
    const t0 = Date.now();
    assert.equal((await api.getProfile()).status, 200);
    assert.ok(Date.now() - t0 >= 690);
    const t1 = Date.now();
    await api.getProfile();
    assert.ok(Date.now() - t1 < 600);
  });

  describe('malformed_pull', () => {
    const setUp = async (mode, extra = {}) => {
      await api.push({ device_id: 'dev-a', batch_id: batchId(), changes: decks(2) });
      await adm.faults({ malformed_pull: mode, ...extra });
    };
    const raw = async () => {
      const res = await fetch(`${srv.api}/sync/pull?cursor=0`, { headers: { authorization: (await tokenHeader()) } });
      return { status: res.status, text: await res.text() };
    };
    let bearer;
    const tokenHeader = async () => {
      bearer ??= `Bearer ${(await login({ issuer: srv.issuer, clientId: srv.client_id, email: srv.user, password: srv.password })).access_token}`;
      return bearer;
    };
    const normalAfter = async () => {
      const r = await api.pull('0');
      assert.equal(r.status, 200);
      assert.equal(r.body.changes.length, 2, 'the next pull is normal and starts at the same cursor');
      assert.equal(r.body.cursor, '2');
    };

    test('wrong_types', async () => {
      await setUp('wrong_types');
      const r = await raw();
      const body = JSON.parse(r.text);
      assert.equal(typeof body.has_more, 'string');
      assert.equal(typeof body.changes.at(-1).seq, 'string');
      await normalAfter();
    });

    test('huge_string', async () => {
      await setUp('huge_string', { huge_bytes: 3_000_000 });
      const r = await raw();
      assert.ok(r.text.length > 3_000_000);
      const body = JSON.parse(r.text);
      assert.equal(body.changes.at(-1).fields.front.value.length, 3_000_000);
      await normalAfter();
    });

    test('unknown_entity', async () => {
      await setUp('unknown_entity');
      const body = JSON.parse((await raw()).text);
      assert.equal(body.changes.at(-1).entity, 'spaceship');
      assert.equal(body.cursor, '3');
      await normalAfter();
    });

    test('bad_hlc, invalid_json, not_object', async () => {
      await setUp('bad_hlc');
      assert.equal(JSON.parse((await raw()).text).changes.at(-1).fields.front.hlc, 'tomorrow');
      await adm.faults({ malformed_pull: 'invalid_json' });
      const inv = await raw();
      assert.equal(inv.status, 200);
      assert.throws(() => JSON.parse(inv.text));
      await adm.faults({ malformed_pull: 'not_object' });
      assert.ok(Array.isArray(JSON.parse((await raw()).text)));
      await normalAfter();
    });

    test('lone_surrogate', async () => {
      await setUp('lone_surrogate');
      const r = await raw();
      assert.ok(r.text.includes('front \\ud800 back'), 'the escape itself, not a replacement character');
      assert.equal(JSON.parse(r.text).changes.at(-1).fields.front.value, 'front \ud800 back');
      await normalAfter();
    });

    test('truncated: the connection drops mid-page', async () => {
      await setUp('truncated');
      await assert.rejects(raw());
      await normalAfter();
    });

    test('malformed_pull_count repeats it', async () => {
      await setUp('unknown_entity', { malformed_pull_count: 2 });
      for (let i = 0; i < 2; i += 1) assert.equal(JSON.parse((await raw()).text).changes.at(-1).entity, 'spaceship');
      await normalAfter();
    });
  });

  test('reset clears data and faults', async () => {
    await api.push({ device_id: 'dev-a', batch_id: batchId(), changes: decks(2) });
    await adm.faults({ fail_next: 5 });
    const r = await adm.reset();
    assert.ok(r.body.deleted >= 4);
    assert.equal((await api.pull('0')).body.changes.length, 0);
  });
});

describe('a real crash', () => {
  test('kill_after_apply "exit" with DYNALITE_PATH: restart on the same ports, retry, same answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-crash-'));
    const env = {
      DYNALITE_PATH: join(dir, 'db'),
      REHEARSE_OIDC_KEY_FILE: join(dir, 'key.json'),
      REHEARSE_TEST_ADMIN_SECRET: 'crash-secret',
    };
    let one;
    let two;
    try {
      one = await startServer(env);
      const t = await login({ issuer: one.issuer, clientId: one.client_id, email: one.user, password: one.password });
      const c1 = client(one.api, t.access_token);
      await admin(one).faults({ kill_after_apply: 'exit' });
      const body = { device_id: 'dev-a', batch_id: 'crash-1', changes: decks(3) };
      await assert.rejects(c1.push(body));
      const { signal } = await one.stop();
      assert.equal(signal, 'SIGKILL');
      const ports = (u) => new URL(u).port;
      two = await startServer({
        ...env,
        REHEARSE_API_PORT: ports(one.api),
        REHEARSE_OIDC_PORT: ports(one.issuer),
        REHEARSE_DYNAMODB_PORT: ports(one.dynamodb),
      });
      assert.equal(two.api, one.api);
      // The same signing key: the token from before the crash still works.
      const c2 = client(two.api, t.access_token);
      const retry = await c2.push(body);
      assert.equal(retry.status, 200, retry.text);
      assert.equal(retry.body.applied, 3);
      assert.equal((await c2.pullAll()).changes.length, 3);
    } finally {
      await one?.stop();
      await two?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
