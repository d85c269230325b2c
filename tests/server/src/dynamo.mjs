// DynamoDB plumbing: the client, the table, value (un)marshalling and item
// size estimation. Points at dynalite on loopback by default, or at any
// DynamoDB endpoint (a real table) when configured.

import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';

/**
 * Starts dynalite on 127.0.0.1, in this process (in memory, or in a LevelDB
 * directory when `path` is given); resolves to {endpoint, close}. In-process
 * is faster here than a child process: most of the cost is per request.
 */
export async function startDynalite({ port = 0, path } = {}) {
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/**
 * A DynamoDB client. For dynalite (local: true) it gets fixed fake
 * credentials so the SDK never looks for real ones (no network lookups);
 * otherwise the SDK's usual chain (env, profile, ...) applies.
 */
export function createDynamoClient({ endpoint, region, local }) {
  const config = {
    region: region || 'us-east-1',
    maxAttempts: 3,
  };
  if (endpoint) config.endpoint = endpoint;
  if (local) {
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    config.accountIdEndpointMode = 'disabled';
  }
  return new DynamoDBClient(config);
}

/** Creates the single table (PK, SK strings) unless it exists. */
export async function ensureTable(client, table) {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return false;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && err.name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(new CreateTableCommand({
    TableName: table,
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  for (let i = 0; i < 120; i += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table.TableStatus === 'ACTIVE') return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`table ${table} did not become active`);
}

// Values ----------------------------------------------------------------------

/** A JSON value (string, number, boolean, null, object, array) → AttributeValue. */
export function toAttr(v) {
  if (v === null || v === undefined) return { NULL: true };
  switch (typeof v) {
    case 'string': return { S: v };
    case 'number': return { N: String(v) };
    case 'boolean': return { BOOL: v };
    default:
      if (Array.isArray(v)) return { L: v.map(toAttr) };
      return { M: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toAttr(x)])) };
  }
}

export function fromAttr(a) {
  if ('S' in a) return a.S;
  if ('N' in a) return Number(a.N);
  if ('BOOL' in a) return a.BOOL;
  if ('NULL' in a) return null;
  if ('L' in a) return a.L.map(fromAttr);
  if ('M' in a) return Object.fromEntries(Object.entries(a.M).map(([k, x]) => [k, fromAttr(x)]));
  throw new Error(`unsupported attribute value ${JSON.stringify(a)}`);
}

const utf8 = (s) => Buffer.byteLength(s, 'utf8');

function attrSize(a) {
  if ('S' in a) return utf8(a.S);
  if ('N' in a) return 21; // the most a number can take
  if ('BOOL' in a || 'NULL' in a) return 1;
  if ('L' in a) return 3 + a.L.reduce((n, x) => n + 1 + attrSize(x), 0);
  if ('M' in a) return 3 + Object.entries(a.M).reduce((n, [k, x]) => n + 1 + utf8(k) + attrSize(x), 0);
  if ('B' in a) return a.B.length;
  return 64;
}

/** An upper bound of the size DynamoDB counts for an item (names + values). */
export function itemSize(item) {
  let n = 0;
  for (const [k, a] of Object.entries(item)) n += utf8(k) + attrSize(a);
  return n;
}

export function isConditionalFailure(err) {
  return err?.name === 'ConditionalCheckFailedException';
}
