// Every error code the server can answer has console text in zh-CN and en, and the console's
// catalogue names no code the server no longer has. The list comes from the server itself:
// `beian codes --json` (the binary from BEIAN_BIN, default build/beian under the repository;
// make test builds it first and passes BEIAN_BIN).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zhCN from './locales/zh-CN';
import en from './locales/en';
import { kBadResponse, kNetworkError } from '../api/client';

const kRepo = path.resolve(__dirname, '..', '..', '..');
const kBin = path.resolve(kRepo, process.env.BEIAN_BIN ?? 'build/beian');

interface CodesOutput {
  codes: Array<{ code: string; status: number }>;
  roles: string[];
}

function serverCodes(): string[] {
  if (!fs.existsSync(kBin)) {
    throw new Error(`${kBin} not found: build the server (ninja -C build beian) or set BEIAN_BIN`);
  }
  const out = JSON.parse(execFileSync(kBin, ['codes', '--json'], { encoding: 'utf8' })) as CodesOutput;
  return out.codes.map((c) => c.code);
}

// Codes the console makes up itself (api/client.ts): no server answer carries them.
const kClientCodes = [kNetworkError, kBadResponse];

// Field-level detail codes the accounts endpoints put beside a field (account_rules.cc, the
// JSON reader), and the form's own client-side checks (lib/validation.ts). `beian codes` lists
// the top-level codes only; a detail code that is neither here nor a top-level code is stale.
const kFieldCodes = [
  'required',
  'invalid_email',
  'invalid_mobile',
  'password_too_short',
  'password_too_long',
  'password_equals_email',
  'password_too_common',
  'password_too_simple',
  'password_mismatch',
  'too_long',
  'invalid_characters',
  'unknown_role',
  'wrong_type',
];

// A missing binary fails a test (counted as a failure) rather than the file's collection.
let codes: string[] = [];
let loadError: unknown = null;
try {
  codes = serverCodes();
} catch (e) {
  loadError = e;
}

describe('error catalogue against beian codes --json', () => {
  it('reads a plausible list from the server', () => {
    if (loadError) throw loadError;
    expect(codes.length).toBeGreaterThanOrEqual(20);
    expect(codes).toContain('validation_failed');
  });

  it.each(codes)('has text for %s in zh-CN and en', (code) => {
    expect((zhCN.errors.code as Record<string, string>)[code], `zh-CN ${code}`).toBeTruthy();
    expect((en.errors.code as Record<string, string>)[code], `en ${code}`).toBeTruthy();
  });

  it('names no code the server does not have (no stale codes)', () => {
    const known = new Set([...codes, ...kClientCodes]);
    expect(Object.keys(zhCN.errors.code).filter((c) => !known.has(c))).toEqual([]);
    const fieldKnown = new Set([...codes, ...kFieldCodes]);
    expect(Object.keys(zhCN.errors.field).filter((c) => !fieldKnown.has(c))).toEqual([]);
  });

  it('has the codes issue 6 found missing, and not the stale invalid_type', () => {
    for (const c of ['busy', 'serialization_failure', 'database_error', 'payload_too_large']) {
      expect(codes).toContain(c);
      expect(Object.keys(en.errors.code)).toContain(c);
    }
    for (const c of ['conflict', 'invalid_transition']) expect(Object.keys(zhCN.errors.code)).toContain(c);
    for (const c of ['wrong_type', 'invalid_characters', 'unknown_role']) {
      expect(Object.keys(zhCN.errors.field)).toContain(c);
      expect(Object.keys(en.errors.field)).toContain(c);
    }
    expect(Object.keys(zhCN.errors.field)).not.toContain('invalid_type');
  });
});
