// A value the running core replaces while it runs (the configuration after `booth provision` or a
// printer saved on the service screen; the hardware mapping after the technician's change). Readers
// hold the box and read `value` on every use, so a change reaches them without a restart.
export class Live<T> {
  #value: T;

  constructor(initial: T) {
    this.#value = initial;
  }

  get value(): T {
    return this.#value;
  }

  set(next: T): void {
    this.#value = next;
  }
}
