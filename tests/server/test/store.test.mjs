// The store's log ordering under a stalled or crashed writer, driven
// in-process against dynalite (HTTP cannot time these races reliably).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createDynamoClient, ensureTable, startDynalite } from '../src/dynamo.mjs';
import { changeSk, Store, userPk, voidSk } from '../src/store.mjs';
import { validatePush } from '../src/sync-model.mjs';
import { hlc, uuid } from './helpers/api.mjs';

let db;
let dyn;
let store;
let n = 0;

before(async () => {
  db = await startDynalite();
  dyn = createDynamoClient({ endpoint: db.endpoint, local: true });
  await ensureTable(dyn, 'store-test');
  store = new Store({ client: dyn, table: 'store-test', gapGraceMs: 150 });
});
after(async () => {
  dyn.destroy();
  await db.close();
});

const push = (sub, names) => store.push(sub, validatePush({
  device_id: 'dev-a',
  batch_id: `b${(n += 1)}`,
  changes: names.map((name) => ({ entity: 'deck', id: uuid(), fields: { name: { value: name, hlc: hlc(1) } } })),
}));

test('a pull waits for a missing number, then voids it and goes on', async () => {
  const sub = 'gap-user';
  await push(sub, ['one']);
  // A writer takes number 2 and stalls before writing its log entry.
  const stalled = await store.allocate(userPk(sub), 1);
  assert.equal(stalled, 2);
  await push(sub, ['three']);
  const t0 = Date.now();
  const page = await store.pull(sub, 0, 10);
  assert.ok(Date.now() - t0 >= 140, 'it waited for the grace period');
  assert.deepEqual(page.changes.map((c) => c.seq), [1, 3]);
  assert.equal(page.cursor, '3');
  assert.ok(await store.getItem(userPk(sub), voidSk(2)), 'a VOID# marker');
  assert.equal((await store.getItem(userPk(sub), changeSk(2))).void.BOOL, true);
});

test('a pull does not step over a number that arrives in time', async () => {
  const sub = 'late-user';
  const pk = userPk(sub);
  const patient = new Store({ client: dyn, table: 'store-test', gapGraceMs: 5000 });
  const seq = await store.allocate(pk, 1);
  await push(sub, ['after']);
  setTimeout(() => {
    store.batchPut([{
      PK: { S: pk }, SK: { S: changeSk(seq) }, seq: { N: String(seq) }, ent: { S: 'deck' }, id: { S: uuid() },
      f: { M: {} }, del: { BOOL: false },
    }]);
  }, 50);
  const page = await patient.pull(sub, 0, 10);
  assert.deepEqual(page.changes.map((c) => c.seq), [1, 2]);
  assert.equal(await store.getItem(pk, voidSk(seq)), null);
});

test('a writer whose number was voided takes a new one; nothing is lost', async () => {
  const sub = 'voided-writer';
  const pk = userPk(sub);
  await push(sub, ['first']);
  // Number 2 is given out and, as far as readers know, abandoned.
  const two = await store.allocate(pk, 1);
  await push(sub, ['third']);
  await store.pull(sub, 0, 10);
  assert.ok(await store.getItem(pk, voidSk(two)));

  // Now a slow writer holding number 2 arrives: make its next allocation return 2.
  const real = store.allocate.bind(store);
  let first = true;
  store.allocate = async (p, count) => {
    if (first) { first = false; return two; }
    return real(p, count);
  };
  try {
    const ans = await push(sub, ['late']);
    assert.equal(ans.results[0].status, 'applied');
    assert.equal(ans.results[0].seq, 4, 'it went to a new number');
  } finally {
    store.allocate = real;
  }
  const page = await store.pull(sub, 0, 10);
  assert.deepEqual(page.changes.map((c) => c.fields.name.value), ['first', 'third', 'late']);
  // A reader that had already passed number 2 still gets the change.
  const after2 = await store.pull(sub, 3, 10);
  assert.deepEqual(after2.changes.map((c) => c.fields.name.value), ['late']);
});
