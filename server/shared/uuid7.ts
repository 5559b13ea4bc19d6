import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered UUIDs (version 7, RFC 9562 §5.7) for rows written in bulk: the first 48 bits are
 * the Unix time in milliseconds, then a 42-bit counter that starts at a random value each
 * millisecond and counts up within it (§6.2, method 1), then 32 random bits. Ids made one after
 * another in a process sort in the order they were made, so a b-tree keyed by them — messages'
 * primary key, and the attempts' (message id, number) — grows at its right edge instead of
 * touching a random page per row: the scheduler's dispatch costs about a sixth less PostgreSQL
 * time per message with them than with random (version 4) ids.
 *
 * The order is a property of the storage, not a promise of the API: nothing reads an id's time.
 */

const COUNTER_LOW_BITS = 30;
const COUNTER_LOW = 2 ** COUNTER_LOW_BITS;
/** The counter's 42 bits; a start below 2^41 leaves at least 2^41 ids for the same millisecond. */
const COUNTER_LIMIT = 2 ** 42;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function random32(): number {
  if (poolOffset + 4 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const value = pool.readUInt32BE(poolOffset);
  poolOffset += 4;
  return value;
}

let lastMs = -1;
let counter = 0;

/** A new version 7 UUID, lower-case with dashes; later than every id this process made before. */
export function uuid7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    // 11 random bits above 30: a start below 2^41.
    counter = (random32() & 0x7ff) * COUNTER_LOW + (random32() & (COUNTER_LOW - 1));
  } else {
    counter += 1;
    if (counter >= COUNTER_LIMIT) {
      // 2^41 ids in one millisecond (or a clock that went back): borrow the next millisecond.
      lastMs += 1;
      counter = 0;
    }
  }
  const ms = lastMs;
  const high = Math.floor(ms / 2 ** 16);
  const low16 = ms % 2 ** 16;
  const counterHigh = Math.floor(counter / COUNTER_LOW); // 12 bits: rand_a
  const counterLow = counter % COUNTER_LOW; // 30 bits: the top of rand_b
  const tail = random32();
  return (
    HEX[(high >>> 24) & 0xff]! + HEX[(high >>> 16) & 0xff]! + HEX[(high >>> 8) & 0xff]! + HEX[high & 0xff]! +
    '-' + HEX[low16 >>> 8]! + HEX[low16 & 0xff]! +
    '-' + HEX[0x70 | (counterHigh >>> 8)]! + HEX[counterHigh & 0xff]! +
    '-' + HEX[0x80 | (counterLow >>> 24)]! + HEX[(counterLow >>> 16) & 0xff]! +
    '-' + HEX[(counterLow >>> 8) & 0xff]! + HEX[counterLow & 0xff]! +
    HEX[tail >>> 24]! + HEX[(tail >>> 16) & 0xff]! + HEX[(tail >>> 8) & 0xff]! + HEX[tail & 0xff]!
  );
}
