// Accumulates constituents jet by jet into the flat typed arrays of a JetSet, validating as it goes
// (finite values, pT ≥ 0, no empty jets) so every reader shares one set of checks and one memory strategy.
import type { JetSet, JetSource } from './jetset.ts';
import { badFile } from '../util/errors.ts';

/** Lets the event loop run between chunks (progress events reach sockets/UI; a server stays responsive). */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Initial constituent capacity when the reader gives no estimate; grows ×1.5 (amortised) beyond. */
const INITIAL = 1 << 16;
const TWO_PI = 2 * Math.PI;

export interface BuilderOptions {
  /** Constituent energies are stored (else massless). */
  hasEnergy: boolean;
  /** Drop jets without constituents (with a note) instead of failing. */
  skipEmpty?: boolean;
  /** Per-jet label known to the reader (class index), kept aligned with the jets that survive. */
  hasLabel?: boolean;
}

/**
 * One growable float column. Readers that can estimate the final size call `reserve` so the data is written once
 * into an array of about the right size: peak memory ≈ 1× the decoded data instead of 2× for grow-and-copy.
 */
class Column {
  arr: Float32Array = new Float32Array(INITIAL);
  fill = 0;
  push(x: number): void {
    if (this.fill === this.arr.length) this.grow(Math.ceil(this.arr.length * 1.5));
    this.arr[this.fill++] = x;
  }
  grow(capacity: number): void {
    if (capacity <= this.arr.length) return;
    const next = new Float32Array(capacity);
    next.set(this.arr.subarray(0, this.fill));
    this.arr = next;
  }
  /** Room for `n` values in total (amortised ×1.5 growth). */
  ensure(n: number): void {
    if (n > this.arr.length) this.grow(Math.max(n, Math.ceil(this.arr.length * 1.5)));
  }
  truncate(total: number): void {
    this.fill = total;
  }
  /** The column, exact-size: a view when the slack is under 10% (no copy), else a trimmed copy. */
  finish(total: number): Float32Array {
    const a = this.arr;
    this.arr = new Float32Array(0);
    if (total === a.length) return a;
    return total >= 0.9 * a.length ? a.subarray(0, total) : a.slice(0, total);
  }
}

/** Grows a Uint32/Int32 array geometrically (per-jet arrays are small next to the constituent columns). */
class IntColumn<T extends Uint32Array | Int32Array> {
  arr: T;
  n = 0;
  constructor(private readonly make: (n: number) => T) {
    this.arr = make(1024);
  }
  push(x: number): void {
    if (this.n === this.arr.length) {
      const next = this.make(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = x;
  }
  finish(): T {
    return this.arr.slice(0, this.n) as T;
  }
}

/**
 * Usage: for each jet, `push` its constituents then `endJet(label, sourceIndex)`; finally `finish(source)`.
 * Values are validated on the way in; errors name the file, the jet (by its index in the file) and the fix.
 */
export class JetSetBuilder {
  private readonly pt = new Column();
  private readonly eta = new Column();
  private readonly phi = new Column();
  private readonly energy: Column | null;
  private readonly offsets = new IntColumn((n) => new Uint32Array(n));
  private readonly labels: IntColumn<Int32Array> | null;
  /** Index in the file of every kept jet (for subsetting per-jet stored arrays). */
  private readonly kept = new IntColumn((n) => new Int32Array(n));
  private total = 0;
  private jetStart = 0;
  private skipped = 0;
  private firstSkipped = -1;

  constructor(
    readonly path: string,
    private readonly opts: BuilderOptions,
  ) {
    this.energy = opts.hasEnergy ? new Column() : null;
    this.labels = opts.hasLabel ? new IntColumn((n) => new Int32Array(n)) : null;
    this.offsets.push(0);
  }

  get nJets(): number {
    return this.offsets.n - 1;
  }

  /** Adds one constituent to the current jet. `jetIndex` (index in the file) is only used in error messages. */
  push(ptGeV: number, eta: number, phi: number, energyGeV: number, jetIndex: number): void {
    if (!(ptGeV >= 0) || !Number.isFinite(ptGeV) || !Number.isFinite(eta) || !Number.isFinite(phi) || (this.energy && !Number.isFinite(energyGeV))) {
      const what = !Number.isFinite(ptGeV) ? `pT = ${ptGeV}` : !(ptGeV >= 0) ? `pT = ${ptGeV} (negative)` : !Number.isFinite(eta) ? `η = ${eta}` : !Number.isFinite(phi) ? `φ = ${phi}` : `E = ${energyGeV}`;
      throw badFile(this.path, `jet ${jetIndex}, constituent ${this.total - this.jetStart}: ${what}`, 'Every constituent needs a finite pT ≥ 0, η, φ (and E if stored). Remove or fix the NaN/inf/negative entries, then import again.');
    }
    if (phi > Math.PI || phi <= -Math.PI) {
      phi %= TWO_PI;
      if (phi > Math.PI) phi -= TWO_PI;
      else if (phi <= -Math.PI) phi += TWO_PI;
    }
    this.pt.push(ptGeV);
    this.eta.push(eta);
    this.phi.push(phi);
    if (this.energy) this.energy.push(energyGeV);
    this.total++;
  }

  /**
   * Fast path for dense rows (one call per jet, no per-constituent calls): `rows` rows of `stride` values from
   * `data[base]`, feature positions ipt/ieta/iphi (ie, imask −1 when absent); pT scaled and η shifted for relative
   * features. Padding rows (mask 0, or pT 0 without a mask) are skipped. Same validation as `push`.
   */
  pushRows(data: ArrayLike<number>, base: number, rows: number, stride: number, ipt: number, ieta: number, iphi: number, ie: number, imask: number, scale: number, shift: number, jetIndex: number): void {
    let t = this.total;
    const need = t + rows;
    this.pt.ensure(need);
    this.eta.ensure(need);
    this.phi.ensure(need);
    this.energy?.ensure(need);
    const pt = this.pt.arr, eta = this.eta.arr, phi = this.phi.arr, en = this.energy ? this.energy.arr : null;
    for (let r = 0, o = base; r < rows; r++, o += stride) {
      const raw = data[o + ipt]!;
      if (imask >= 0 ? data[o + imask] === 0 : raw === 0) continue;
      const x = raw * scale, h = data[o + ieta]! + shift, e = ie >= 0 ? data[o + ie]! : 0;
      let f = data[o + iphi]!;
      if (!(x >= 0 && x < Infinity) || h - h !== 0 || f - f !== 0 || e - e !== 0) {
        this.syncFill(t);
        this.push(x, h, f, e, jetIndex); // throws the descriptive error
      }
      if (f > Math.PI || f <= -Math.PI) {
        f %= TWO_PI;
        if (f > Math.PI) f -= TWO_PI;
        else if (f <= -Math.PI) f += TWO_PI;
      }
      pt[t] = x;
      eta[t] = h;
      phi[t] = f;
      if (en) en[t] = e;
      t++;
    }
    this.syncFill(t);
  }

  private syncFill(t: number): void {
    this.total = t;
    this.pt.fill = this.eta.fill = this.phi.fill = t;
    if (this.energy) this.energy.fill = t;
  }

  /** Closes the current jet. Empty jets are an error unless `skipEmpty` (then they are dropped and counted). */
  endJet(label: number, jetIndex: number): void {
    if (this.total === this.jetStart) {
      if (!this.opts.skipEmpty) {
        throw badFile(this.path, `jet ${jetIndex} has no constituents`, 'Remove empty jets from the file, or pass --skip-empty (ReadOptions.skipEmpty) to drop them on import.');
      }
      if (this.skipped++ === 0) this.firstSkipped = jetIndex;
      return;
    }
    this.offsets.push(this.total);
    this.labels?.push(label);
    this.kept.push(jetIndex);
    this.jetStart = this.total;
  }

  /** Discards constituents pushed since the last endJet (used when a reader rejects a jet after reading part of it). */
  abandonJet(): void {
    this.total = this.jetStart;
    for (const c of [this.pt, this.eta, this.phi, this.energy]) c?.truncate(this.total);
  }

  /** Number of constituents pushed so far. */
  get nConstituents(): number {
    return this.total;
  }

  /** Hint: about `constituents` will be pushed in total (the columns are sized once instead of growing). */
  reserve(constituents: number): void {
    for (const c of [this.pt, this.eta, this.phi, this.energy]) c?.grow(Math.ceil(constituents));
  }

  /** File indices of the jets kept so far, in order. */
  keptIndices(): Int32Array {
    return this.kept.arr.subarray(0, this.kept.n);
  }

  finish(source: JetSource, labelNames?: string[]): JetSet {
    if (this.nJets === 0) {
      throw badFile(this.path, this.skipped > 0 ? `all ${this.skipped} jets are empty` : 'no jets found', 'Check that the file holds jet constituents (and the --collection you chose).');
    }
    if (this.skipped > 0) source.notes.push(`${this.skipped} jets without constituents were dropped (first at index ${this.firstSkipped}).`);
    const set: JetSet = {
      nJets: this.nJets,
      offsets: this.offsets.finish(),
      pt: this.pt.finish(this.total),
      eta: this.eta.finish(this.total),
      phi: this.phi.finish(this.total),
      source,
    };
    if (this.energy) set.energy = this.energy.finish(this.total);
    if (this.labels) {
      set.label = this.labels.finish();
      if (labelNames) set.labelNames = labelNames;
    }
    return set;
  }
}
