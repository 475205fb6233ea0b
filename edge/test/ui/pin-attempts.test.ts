import { describe, expect, it } from 'vitest';
import { FREE_ATTEMPTS, PinAttempts } from '../../src/api/pin-attempts.js';

describe('PinAttempts', () => {
  it('locks after the free attempts for 30 s, doubling per further wrong PIN up to 5 minutes, and a right PIN clears it', () => {
    let now = 0;
    const attempts = new PinAttempts(() => now);
    for (let i = 0; i < FREE_ATTEMPTS; i++) expect(attempts.failed('a')).toBe(0);
    expect(attempts.lockedForMs('a')).toBe(0);
    const locks = Array.from({ length: 6 }, () => {
      const lock = attempts.failed('a');
      now += lock;
      return lock;
    });
    expect(locks).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(attempts.lockedForMs('a')).toBe(0);
    expect(attempts.lockedForMs('b')).toBe(0);
    attempts.succeeded('a');
    expect(attempts.failed('a')).toBe(0);
  });

  it('counts down the lock as time passes', () => {
    let now = 1_000;
    const attempts = new PinAttempts(() => now);
    for (let i = 0; i <= FREE_ATTEMPTS; i++) attempts.failed('a');
    now += 10_000;
    expect(attempts.lockedForMs('a')).toBe(20_000);
  });
});
