// Contract between the server and what is written elsewhere about it: `beian codes --json` (every
// error code with its HTTP status, and the roles of core/roles.h) against the console's role list
// (web/src/lib/roles.ts). No server is started; the binary prints its tables and exits.
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

function codes() {
  return JSON.parse(execFileSync(kBin, ['codes', '--json'], { encoding: 'utf8' }));
}

test('beian codes --json lists every error code once with a 4xx or 5xx status', () => {
  const out = codes();
  assert.ok(out.codes.length >= 20, `only ${out.codes.length} codes`);
  const names = out.codes.map((c) => c.code);
  assert.equal(new Set(names).size, names.length, 'a code is listed twice');
  for (const { code, status } of out.codes) {
    assert.match(code, /^[a-z][a-z0-9_]*$/, `${code} is not snake_case`);
    assert.ok(Number.isInteger(status) && status >= 400 && status <= 599, `${code} → ${status}`);
  }
  // A few mappings the API contract (docs/openapi.yaml) promises.
  const status = Object.fromEntries(out.codes.map((c) => [c.code, c.status]));
  assert.equal(status.validation_failed, 400);
  assert.equal(status.unauthenticated, 401);
  assert.equal(status.csrf_failed, 403);
  assert.equal(status.account_locked, 429);
  assert.equal(status.schema_outdated, 503);
});

test('the console lists the same roles as the server, in the same order', () => {
  const source = fs.readFileSync(path.join(kRepo, 'web/src/lib/roles.ts'), 'utf8');
  const m = source.match(/export const kRoles[^=]*=\s*\[([^\]]*)\]/);
  assert.ok(m, 'kRoles not found in web/src/lib/roles.ts');
  const consoleRoles = [...m[1].matchAll(/'([^']+)'|"([^"]+)"/g)].map((x) => x[1] ?? x[2]);
  assert.deepEqual(consoleRoles, codes().roles);
});
