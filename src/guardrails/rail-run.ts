/**
 * One run of a rail list over one message or one draft answer. Rails of a run may share work (the
 * two injection rails score the message once; the groundedness and citation rails judge the same
 * answer sentences against the same sources): the runner creates the run and hands it to every rail
 * with the input, so what is shared is explicit and ends with the run. A rail executed on its own
 * gets a fresh run and works everything out itself.
 */

/** The name and type of one value shared within a run; declare it once, beside the rails that share it. */
export interface RunSlot<Value> {
  readonly name: string;
  /** Never set: carries the value's type. */
  readonly valueType?: Value;
}

/** Declares a shared value of a run. */
export function runSlot<Value>(name: string): RunSlot<Value> {
  return { name };
}

/** The values shared by the rails of one run. */
export class RailRun {
  readonly #values = new Map<RunSlot<unknown>, unknown>();

  /**
   * The value of `slot` in this run, computed on first use. A value must depend only on what stays
   * the same through the run (for output rails: not the answer text, which rewrites change).
   */
  shared<Value>(slot: RunSlot<Value>, compute: () => Value): Value {
    if (this.#values.has(slot)) return this.#values.get(slot) as Value;
    const value = compute();
    this.#values.set(slot, value);
    return value;
  }
}
