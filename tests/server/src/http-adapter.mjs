// A small node:http server on loopback that plays API Gateway (HTTP API,
// payload format 2.0): each request becomes an event for the route's
// Lambda-style handler, whose {statusCode, headers, body} becomes the answer.
//
// It also hosts the test-only admin routes under /__test/ (guarded by a
// secret header) and applies the injected faults.

import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { KillError } from './errors.mjs';
import { errorResponse, json, MAX_BODY_BYTES } from './handlers/common.mjs';
import { PULL_ROUTE, PUSH_ROUTE } from './router.mjs';
import { ValidationError } from './sync-model.mjs';

const HOST = '127.0.0.1';

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let over = false;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) over = true;
      if (!over) chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The API Gateway (HTTP API 2.0) event for a request. */
export function toEvent(req, url, body) {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const method = req.method.toUpperCase();
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? HOST,
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body.length ? body.toString('utf8') : undefined,
    isBase64Encoded: false,
  };
}

function send(res, response) {
  const body = response.body ?? '';
  const headers = { ...(response.headers ?? {}) };
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(response.statusCode, headers);
  res.end(body);
}

/** Replaces a pull answer with a broken one; returns the body text. */
function malformedPull(mode, answer, hugeBytes) {
  const last = answer.changes.length ? answer.changes[answer.changes.length - 1].seq : Number(answer.cursor);
  const seq = last + 1;
  const stamp = `${Date.now().toString(16).padStart(12, '0')}-0000-hostile`;
  const fake = {
    seq,
    entity: 'card',
    id: randomUUID(),
    fields: { front: { value: 'front', hlc: stamp } },
    deleted: false,
    deleted_hlc: null,
  };
  const withFake = (change) => JSON.stringify({
    changes: [...answer.changes, change], cursor: String(seq), has_more: answer.has_more,
  });
  switch (mode) {
    case 'wrong_types':
      return JSON.stringify({
        changes: [...answer.changes, {
          seq: String(seq), entity: 42, id: true, fields: 'front', deleted: 'no', deleted_hlc: 7,
        }],
        cursor: { seq },
        has_more: 'maybe',
      });
    case 'huge_string':
      return withFake({ ...fake, fields: { front: { value: 'x'.repeat(hugeBytes), hlc: stamp } } });
    case 'unknown_entity':
      return withFake({ ...fake, entity: 'spaceship', fields: { warp: { value: 9, hlc: stamp } } });
    case 'bad_hlc':
      return withFake({ ...fake, fields: { front: { value: 'front', hlc: 'tomorrow' } } });
    case 'lone_surrogate':
      // JSON.stringify writes it as the escape \ud800: valid JSON text whose
      // string is not valid Unicode
      return withFake({ ...fake, fields: { front: { value: 'front \ud800 back', hlc: stamp } } });
    case 'invalid_json':
      return JSON.stringify(answer).slice(0, -1) + ',';
    case 'not_object':
      return JSON.stringify([answer]);
    default:
      return JSON.stringify(answer);
  }
}

/**
 * Starts the API on 127.0.0.1.
 *
 * @param {object} o
 * @param {Record<string, Function>} o.routes  route key → handler
 * @param {number} [o.port]                     0 for any free port
 * @param {import('./faults.mjs').Faults} o.faults
 * @param {{secret: string, store: import('./store.mjs').Store} | null} o.admin
 */
export async function startApiServer({ routes, port = 0, faults, admin }) {
  const sockets = new Set();
  let down = false;
  let closed = false;
  const knownPaths = new Set(Object.keys(routes).map((k) => k.split(' ')[1]));

  const server = http.createServer(async (req, res) => {
    let url;
    try {
      url = new URL(req.url, `http://${HOST}`);
    } catch {
      send(res, json(400, { code: 'bad_request', message: 'bad request target' }));
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      send(res, json(413, { code: 'payload_too_large', message: `the body is over ${MAX_BODY_BYTES} bytes` }));
      return;
    }
    if (url.pathname.startsWith('/__test/')) {
      await handleAdmin(req, res, url, body);
      return;
    }
    const event = toEvent(req, url, body);
    const routeKey = event.routeKey;
    const handler = Object.hasOwn(routes, routeKey) ? routes[routeKey] : undefined;
    if (!handler) {
      if (knownPaths.has(url.pathname)) send(res, json(405, { code: 'method_not_allowed', message: `${routeKey} is not a route` }));
      else send(res, json(404, { code: 'not_found', message: `no route ${routeKey}` }));
      return;
    }

    const canned = faults.takePre(routeKey);
    if (canned) {
      send(res, json(canned.statusCode, canned.body, canned.headers));
      return;
    }
    const delay = faults.takeDelay(routeKey);
    if (delay) await new Promise((r) => setTimeout(r, delay));

    let response;
    try {
      response = await handler(event);
    } catch (err) {
      if (err instanceof KillError) {
        crash(req, 'kill');
        return;
      }
      response = errorResponse(err);
    }

    if (routeKey === PUSH_ROUTE && response.statusCode === 200) {
      const post = faults.takePostPush();
      if (post) {
        crash(req, post);
        return;
      }
    }
    if (routeKey === PULL_ROUTE && response.statusCode === 200) {
      const mode = faults.takeMalformedPull();
      if (mode === 'truncated') {
        const full = Buffer.from(response.body);
        res.writeHead(200, { ...response.headers, 'Content-Length': full.length });
        res.write(full.subarray(0, Math.max(1, Math.floor(full.length / 2))), () => {
          setTimeout(() => req.socket.destroy(), 20);
        });
        return;
      }
      if (mode) response = { ...response, body: malformedPull(mode, JSON.parse(response.body), faults.huge_bytes) };
    }
    send(res, response);
  });

  server.on('connection', (socket) => {
    if (down) { socket.destroy(); return; }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  /** 'drop': reset this connection; 'kill': reset all and stop listening for a while; 'exit': die. */
  function crash(req, how) {
    if (how === 'exit') {
      process.kill(process.pid, 'SIGKILL');
      return;
    }
    req.socket.destroy();
    if (how !== 'kill') return;
    down = true;
    for (const s of sockets) s.destroy();
    server.close(() => {
      setTimeout(() => {
        if (closed) return;
        down = false;
        server.listen(actualPort, HOST);
      }, faults.down_ms);
    });
  }

  async function handleAdmin(req, res, url, body) {
    if (!admin) {
      send(res, json(404, { code: 'not_found', message: 'the test admin routes are off' }));
      return;
    }
    if (req.headers['x-test-secret'] !== admin.secret) {
      send(res, json(403, { code: 'forbidden', message: 'X-Test-Secret is missing or wrong' }));
      return;
    }
    const key = `${req.method} ${url.pathname}`;
    try {
      const parse = () => (body.length ? JSON.parse(body.toString('utf8')) : {});
      switch (key) {
        case 'GET /__test/faults':
          send(res, json(200, faults.view()));
          return;
        case 'POST /__test/faults':
          faults.set(parse());
          send(res, json(200, faults.view()));
          return;
        case 'DELETE /__test/faults':
          faults.clear();
          send(res, json(200, faults.view()));
          return;
        case 'POST /__test/reset': {
          faults.clear();
          const deleted = await admin.store.reset();
          send(res, json(200, { deleted }));
          return;
        }
        case 'GET /__test/items': {
          const sub = url.searchParams.get('sub');
          if (!sub) throw new ValidationError('sub is required', 'sub');
          send(res, json(200, { items: await admin.store.items(sub) }));
          return;
        }
        default:
          send(res, json(404, { code: 'not_found', message: `no admin route ${key}` }));
      }
    } catch (err) {
      if (err instanceof SyntaxError) send(res, json(400, { code: 'invalid_json', message: err.message }));
      else send(res, errorResponse(err));
    }
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => { server.off('error', reject); resolve(); });
  });
  const actualPort = server.address().port;
  server.on('error', (err) => console.error('api server:', err.message));

  return {
    url: `http://${HOST}:${actualPort}`,
    port: actualPort,
    faults,
    close: () => new Promise((resolve) => {
      closed = true;
      down = true;
      for (const s of sockets) s.destroy();
      if (!server.listening) { resolve(); return; }
      server.close(() => resolve());
    }),
  };
}
