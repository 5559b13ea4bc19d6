/**
 * A time zone's UTC offsets: looking a zone up by name, reading an instant's wall time there, and
 * an `OffsetTimeline` that finds the zone's clock changes (by bisection) so wall-clock spans can
 * be turned back into instants. Pure, over luxon's zone data.
 */
import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Offsets are sampled this often to find transitions: a zone's transitions are weeks apart. */
const SAMPLE_MS = 12 * HOUR_MS;

/** Wall time minus UTC lies within [-12 h, +14 h] in every zone; a little slack either side. */
export const REACH_MS = 15 * HOUR_MS;

/** A run of instants `[from, to)` (ms since the epoch) under one UTC `offset` (ms). */
export interface OffsetPiece {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
}

/** The timeline's own piece: the last one's `to` is closed when the next transition is found. */
interface Piece extends Omit<OffsetPiece, 'to'> {
  to: number;
}

/** One zone's offsets, read forward lazily and kept, so each day costs two or three lookups. */
export class OffsetTimeline {
  private readonly pieces: Piece[];
  private readTo: number;

  /** Starts reading `zone` at instant `from`; earlier instants are not covered. */
  constructor(
    private readonly zone: IANAZone,
    from: number,
  ) {
    this.pieces = [{ from, to: Infinity, offset: offsetMs(zone, from) }];
    this.readTo = from;
  }

  /** The pieces overlapping `[from, to)`, in order. */
  between(from: number, to: number): OffsetPiece[] {
    while (this.readTo < to) this.readNext();
    return this.pieces.filter((piece) => piece.to > from && piece.from < to);
  }

  private readNext(): void {
    const last = this.pieces[this.pieces.length - 1] as Piece;
    const next = this.readTo + SAMPLE_MS;
    if (offsetMs(this.zone, next) !== last.offset) {
      let before = this.readTo;
      let after = next;
      while (after - before > 1) {
        const mid = Math.floor((before + after) / 2);
        if (offsetMs(this.zone, mid) === last.offset) before = mid;
        else after = mid;
      }
      last.to = after;
      this.pieces.push({ from: after, to: Infinity, offset: offsetMs(this.zone, after) });
    }
    this.readTo = next;
  }
}

/** The zone's UTC offset at instant `at`, in ms: wall time there is `at + offsetMs(zone, at)`. */
export function offsetMs(zone: IANAZone, at: number): number {
  return zone.offset(at) * MINUTE_MS;
}

/** The zone's local date at instant `at`, as days since 1970-01-01. */
export function localDay(zone: IANAZone, at: number): number {
  return Math.floor((at + offsetMs(zone, at)) / DAY_MS);
}

/** The IANA zone of that name; throws a RangeError for an unknown name. */
export function zoneNamed(name: string): IANAZone {
  const zone = IANAZone.create(name); // cached by luxon, validity included
  if (!zone.isValid) throw new RangeError(`not an IANA time zone: "${name}"`);
  return zone;
}
