// Contract between the server and docs/openapi.yaml: the route tables of both services (`beian
// routes --json`, wired as `serve` wires them) and the document list the same operations, and
// the document's ErrorCode enumeration is exactly the codes `beian codes --json` prints.
// The document is read line by line in its own layout (two-space indents, one path per line).
//
// Environment: BEIAN_BIN (default build/beian).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const kRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const kBin = path.resolve(kRepo, process.env.BEIAN_BIN ?? 'build/beian');
const kDoc = fs.readFileSync(path.join(kRepo, 'docs/openapi.yaml'), 'utf8');

function beian(...args) {
  return JSON.parse(execFileSync(kBin, args, { encoding: 'utf8' }));
}

// "METHOD /path" for every operation under `paths:`.
function documentedOperations() {
  const ops = new Set();
  let inPaths = false;
  let current = null;
  for (const line of kDoc.split('\n')) {
    if (/^paths:\s*$/.test(line)) {
      inPaths = true;
      continue;
    }
    if (inPaths && /^\S/.test(line)) inPaths = false;
    if (!inPaths) continue;
    const p = /^ {2}(\/\S*):\s*$/.exec(line);
    if (p) {
      current = p[1];
      continue;
    }
    const m = /^ {4}(get|put|post|delete|patch|head|options):\s*$/.exec(line);
    if (m && current) ops.add(`${m[1].toUpperCase()} ${current}`);
  }
  return ops;
}

test('the route tables and docs/openapi.yaml list the same operations', () => {
  const routes = beian('routes', '--json');
  assert.ok(routes.agent.length > 5 && routes.authority.length > 3, JSON.stringify(routes));
  const served = new Set([...routes.agent, ...routes.authority].map((r) => `${r.method} ${r.path}`));
  const documented = documentedOperations();
  const undocumented = [...served].filter((op) => !documented.has(op)).sort();
  const notServed = [...documented].filter((op) => !served.has(op)).sort();
  assert.deepEqual({ undocumented, notServed }, { undocumented: [], notServed: [] });
});

test('each service serves only its own API prefix', () => {
  const routes = beian('routes', '--json');
  for (const r of routes.agent) assert.ok(!r.path.startsWith('/authority/'), `agent serves ${r.path}`);
  for (const r of routes.authority) assert.ok(!r.path.startsWith('/api/'), `authority serves ${r.path}`);
});

test("docs/openapi.yaml's ErrorCode enumeration is exactly the server's codes", () => {
  const block = /\n {4}ErrorCode:\n(?: {6}.*\n)*? {6}enum: \[([^\]]*)\]/.exec(kDoc);
  assert.ok(block, 'components.schemas.ErrorCode with an enum not found');
  const documented = block[1].split(',').map((s) => s.trim().replace(/^'|'$/g, '')).filter(Boolean).sort();
  const served = beian('codes', '--json').codes.map((c) => c.code).sort();
  assert.deepEqual(documented, served);
});
