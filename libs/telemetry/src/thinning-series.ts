/**
 * A fixed-memory time series of up to 6 numeric columns for the live page. When full it keeps every
 * other row and from then on accepts every 2nd (then 4th, 8th...) push, so the whole run stays visible
 * at a resolution of `capacity / 2` to `capacity` points. Pushing never allocates.
 */
export class ThinningSeries {
  readonly columns: readonly string[];
  readonly capacity: number;
  private readonly data: Float64Array[];
  private size = 0;
  private stride = 1;
  private skipped = 0;
  private pushes = 0;

  constructor(columns: readonly string[], capacity: number) {
    if (columns.length < 1 || columns.length > 6) throw new RangeError(`ThinningSeries takes 1-6 columns, got ${columns.length}`);
    if (!Number.isInteger(capacity) || capacity < 4 || capacity % 2 !== 0) {
      throw new RangeError(`ThinningSeries capacity must be an even integer >= 4, got ${capacity}`);
    }
    this.columns = columns;
    this.capacity = capacity;
    this.data = columns.map(() => new Float64Array(capacity));
  }

  /** Rows currently held (<= capacity). */
  get length(): number {
    return this.size;
  }

  /** Rows pushed in total, kept or not. */
  get pushed(): number {
    return this.pushes;
  }

  /** Appends one row (values in column order; missing columns are 0). */
  push(v0: number, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0): void {
    this.pushes++;
    if (this.skipped + 1 < this.stride) {
      this.skipped++;
      return;
    }
    this.skipped = 0;
    if (this.size === this.capacity) this.thin();
    const i = this.size++;
    const d = this.data;
    const n = d.length;
    d[0][i] = v0;
    if (n > 1) d[1][i] = v1;
    if (n > 2) d[2][i] = v2;
    if (n > 3) d[3][i] = v3;
    if (n > 4) d[4][i] = v4;
    if (n > 5) d[5][i] = v5;
  }

  private thin(): void {
    const half = this.capacity / 2;
    for (const col of this.data) {
      for (let i = 0; i < half; i++) col[i] = col[2 * i + 1];
    }
    this.size = half;
    this.stride *= 2;
  }

  /** Column-major copy for JSON (`{ step: [...], loss: [...] }`); NaN becomes null in JSON. */
  toColumns(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    this.columns.forEach((name, c) => {
      out[name] = Array.from(this.data[c].subarray(0, this.size));
    });
    return out;
  }

  /** Last value of column `c`, NaN when empty. */
  last(c: number): number {
    return this.size === 0 ? Number.NaN : this.data[c][this.size - 1];
  }
}
