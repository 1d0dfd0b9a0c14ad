// A bounded set of strings that each expire a while after they were added.

/** Strings remembered for `ttlMs`; once `maxSize` is reached the oldest go first. */
export class TtlSet {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxSize: number,
  ) {}

  add(value: string): void {
    this.expiries.delete(value);
    this.expiries.set(value, Date.now() + this.ttlMs);
    if (this.expiries.size > this.maxSize) this.expiries.delete(this.expiries.keys().next().value as string);
  }

  has(value: string): boolean {
    const expiry = this.expiries.get(value);
    if (expiry === undefined) return false;
    if (expiry > Date.now()) return true;
    this.expiries.delete(value);
    return false;
  }
}
