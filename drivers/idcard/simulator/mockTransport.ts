// In-memory transport in the style of @serialport/binding-mock: the test (or a SimulatedReader)
// sits on the device side, sees what the host wrote and pushes bytes back.
import { Listeners, type Transport } from '../transport.ts';
import type { SimulatedReader } from './device.ts';

export class MockTransport implements Transport {
  readonly description: string;
  readonly writes: Uint8Array[] = [];
  closed = false;
  private readonly data = new Listeners<[Uint8Array]>();
  private readonly closes = new Listeners<[Error | undefined]>();
  private readonly written = new Listeners<[Uint8Array]>();

  constructor(description = 'mock') {
    this.description = description;
  }

  get lastWrite(): Uint8Array | undefined {
    return this.writes.at(-1);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('port is closed');
    this.writes.push(bytes.slice());
    this.written.emit(bytes.slice());
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.closes.add(listener);
  }

  async close(): Promise<void> {
    this.disconnect();
  }

  // Device side.
  /** What the host writes, as the device sees it. */
  onWrite(listener: (bytes: Uint8Array) => void): () => void {
    return this.written.add(listener);
  }

  emitData(bytes: Uint8Array): void {
    if (!this.closed) this.data.emit(bytes);
  }

  /** The device vanished (cable pulled). */
  disconnect(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closes.emit(error);
  }
}

/** Wires a mock transport to a simulated reader: host writes reach the device, answers come back asynchronously. */
export function attachSimulator(transport: MockTransport, reader: SimulatedReader): () => void {
  const offWrite = transport.onWrite((bytes) => reader.receive(bytes));
  const offOut = reader.onOutput((bytes) => {
    const copy = bytes.slice();
    queueMicrotask(() => transport.emitData(copy));
  });
  const offClose = transport.onClose(() => reader.cancelPending());
  return () => {
    offWrite();
    offOut();
    offClose();
  };
}
