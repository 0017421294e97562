// Serial transport: readers with a UART or a USB-serial bridge, 115200 8N1, no flow control
// (IDCARD-PROTOCOL.md §4.1).
import { SerialPort } from 'serialport';
import { Listeners, type Transport, type TransportFactory } from '../transport.ts';

export interface SerialOptions {
  path: string;
  baudRate?: number;
}

export async function openSerialTransport(options: SerialOptions): Promise<Transport> {
  const port = new SerialPort({
    path: options.path,
    baudRate: options.baudRate ?? 115200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    rtscts: false,
    xon: false,
    xoff: false,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const data = new Listeners<[Uint8Array]>();
  const closes = new Listeners<[Error | undefined]>();
  let closed = false;
  const finish = (error?: Error) => {
    if (closed) return;
    closed = true;
    closes.emit(error);
  };
  port.on('data', (chunk: Buffer) => data.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  // Unplugging a USB-serial bridge (or the pty's other end going away) surfaces as 'close' with a
  // disconnected error, or as a read 'error'; both mean the device is gone.
  port.on('close', (e?: Error) => finish(e ?? undefined));
  port.on('error', (e: Error) => {
    finish(e);
    if (port.isOpen) port.close(() => undefined);
  });
  return {
    description: `serial:${options.path}`,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error('port is closed'));
        port.write(Buffer.from(bytes), (e) => (e ? reject(e) : port.drain((e2) => (e2 ? reject(e2) : resolve()))));
      }),
    onData: (fn) => data.add(fn),
    onClose: (fn) => closes.add(fn),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) {
          finish();
          return resolve();
        }
        port.close(() => {
          finish();
          resolve();
        });
      }),
  };
}

export function serialTransportFactory(options: SerialOptions): TransportFactory {
  return () => openSerialTransport(options);
}
