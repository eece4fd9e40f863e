// The register form's strength hint: trivially guessable passwords score 0 however long they
// are; longer and more varied ones score higher.
import { describe, expect, it } from 'vitest';
import { passwordStrength } from './passwordStrength';

describe('passwordStrength', () => {
  it.each([
    ['1234567890'],
    ['aaaaaaaaaa'],
    ['0987654321'],
    ['qwertyuiop'],
    ['abcdefghijk'],
    ['password123'],
    ['aaaaabbbbbccccc'],
    ['iloveyou12'],
  ])('scores %s as very weak', (pw) => {
    expect(passwordStrength(pw).score).toBe(0);
  });

  it('scores the empty password 0', () => {
    expect(passwordStrength('')).toEqual({ score: 0, bits: 0 });
  });

  it('grows with length and variety', () => {
    const scores = ['kfjwmtz', 'kfjwmtzr9p', 'kfjwmtzr9p-Lx'].map((p) => passwordStrength(p).score);
    expect(scores).toEqual([1, 2, 4]);
  });

  it('counts Chinese characters as a large alphabet', () => {
    expect(passwordStrength('我的网站备案密码很长').score).toBeGreaterThanOrEqual(3);
  });

  it('does not let a long run of one character look strong', () => {
    expect(passwordStrength('x'.repeat(64)).score).toBe(0);
    expect(passwordStrength('Ab1!' + '9'.repeat(40)).score).toBeLessThanOrEqual(1);
  });
});
