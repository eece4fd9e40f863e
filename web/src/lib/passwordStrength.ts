// A client-side estimate of how hard a password is to guess, for the hint under the register
// form's password box. It is only a hint: the server decides (it refuses common and repetitive
// passwords with password_too_common / password_too_simple). The estimate counts guessing
// entropy after collapsing what guessers try first: runs of one character ("aaaa"), ascending
// or descending runs of letters, digits or keyboard rows ("1234", "cba", "qwert"), and a few
// of the most common words; each such run counts as one character.

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  score: StrengthScore;
  // Estimated guessing entropy in bits (for tests and tuning).
  bits: number;
}

const kRows = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '1qaz2wsx3edc',
];
// Words at the top of every leaked-password list; a hint needs only the most frequent.
const kCommonWords = [
  'password',
  'passw0rd',
  'iloveyou',
  'welcome',
  'admin',
  'letmein',
  'monkey',
  'dragon',
  'qwerty',
  'woaini',
  'abc123',
];

// True when b follows a in one of the rows above, forwards or backwards.
function adjacent(a: string, b: string): boolean {
  for (const row of kRows) {
    const i = row.indexOf(a);
    const j = row.indexOf(b);
    if (i >= 0 && j >= 0 && Math.abs(i - j) === 1) return true;
  }
  return false;
}

// The password with each guessable run replaced by one placeholder character.
function collapse(password: string): string[] {
  let rest = password.toLowerCase();
  for (const w of kCommonWords) rest = rest.split(w).join('\u0000');
  const chars = [...rest];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let j = i + 1;
    // A run of one repeated character.
    while (j < chars.length && chars[j] === chars[i]) j++;
    if (j - i >= 3) {
      out.push(chars[i]);
      i = j;
      continue;
    }
    // A run along a row, in one direction.
    j = i + 1;
    if (j < chars.length && adjacent(chars[i], chars[j])) {
      const step = (a: string, b: string) => {
        for (const row of kRows) {
          const x = row.indexOf(a);
          const y = row.indexOf(b);
          if (x >= 0 && y >= 0 && Math.abs(x - y) === 1) return y - x;
        }
        return 0;
      };
      const dir = step(chars[i], chars[j]);
      while (j + 1 < chars.length && step(chars[j], chars[j + 1]) === dir) j++;
      if (j - i + 1 >= 3) {
        out.push(chars[i]);
        i = j + 1;
        continue;
      }
    }
    out.push(chars[i]);
    i++;
  }
  return out;
}

function poolSize(password: string): number {
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(password)) pool += 33;
  // Anything beyond ASCII (Chinese characters, for one) draws from a far larger set.
  if (/[^\x00-\x7f]/.test(password)) pool += 100;
  return Math.max(pool, 1);
}

export function passwordStrength(password: string): Strength {
  if (password === '') return { score: 0, bits: 0 };
  const effective = collapse(password);
  const distinct = new Set(effective).size;
  const bits = Math.round(effective.length * Math.log2(poolSize(password)) * 10) / 10;
  let score: StrengthScore;
  if (bits < 30 || distinct <= 3) score = 0;
  else if (bits < 40) score = 1;
  else if (bits < 55) score = 2;
  else if (bits < 75) score = 3;
  else score = 4;
  return { score, bits };
}
