// A small client of the sync API for tests.

import { randomUUID } from 'node:crypto';

export function uuid() {
  return randomUUID();
}

/** An HLC stamp: 12 hex digits of ms, 4 of counter, the device id. */
export function hlc(ms, counter = 0, device = 'dev-a') {
  return `${ms.toString(16).padStart(12, '0')}-${counter.toString(16).padStart(4, '0')}-${device}`;
}

export function client(base, token) {
  async function call(method, path, body, headers = {}) {
    const res = await fetch(new URL(path, base), {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, body: json, text };
  }
  return {
    call,
    getProfile: () => call('GET', '/profile'),
    putProfile: (body) => call('PUT', '/profile', body),
    push: (body) => call('POST', '/sync/push', body),
    pull: (cursor, limit) => {
      const q = new URLSearchParams();
      if (cursor !== undefined) q.set('cursor', String(cursor));
      if (limit !== undefined) q.set('limit', String(limit));
      return call('GET', `/sync/pull?${q}`);
    },
    /** Pulls every page from `cursor`; returns {changes, cursor, pages}. */
    async pullAll(cursor = '0', limit = 100) {
      const changes = [];
      let pages = 0;
      for (;;) {
        const r = await this.pull(cursor, limit);
        if (r.status !== 200) throw new Error(`pull: ${r.status} ${r.text}`);
        pages += 1;
        changes.push(...r.body.changes);
        cursor = r.body.cursor;
        if (!r.body.has_more) return { changes, cursor, pages };
      }
    },
  };
}

export function admin(info) {
  const call = async (method, path, body) => {
    const res = await fetch(new URL(path, info.api), {
      method,
      headers: { 'x-test-secret': info.admin_secret, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  return {
    faults: (body) => call('POST', '/__test/faults', body),
    getFaults: () => call('GET', '/__test/faults'),
    clearFaults: () => call('DELETE', '/__test/faults'),
    reset: () => call('POST', '/__test/reset', {}),
    items: (sub) => call('GET', `/__test/items?sub=${encodeURIComponent(sub)}`),
  };
}

export function change(entity, id, fields, { deleted, deleted_hlc } = {}) {
  const c = { entity, id, fields };
  if (deleted !== undefined) c.deleted = deleted;
  if (deleted_hlc !== undefined) c.deleted_hlc = deleted_hlc;
  return c;
}

/** {name: [value, hlc]} → {name: {value, hlc}} */
export function f(obj) {
  return Object.fromEntries(Object.entries(obj).map(([k, [value, stamp]]) => [k, { value, hlc: stamp }]));
}
