// Where receipt bytes go: a device file (USB printers appear as /dev/usb/lp0, parallel as /dev/lp0,
// or a serial port already set up by the OS) or a raw TCP port (network printers listen on 9100).
// Behind one interface so the booth core and tests do not care which.
import { open } from 'node:fs/promises';
import net from 'node:net';

export type PrinterConfig = { kind: 'file'; path: string } | { kind: 'tcp'; host: string; port: number };

export interface PrinterTransport {
  send(bytes: Uint8Array): Promise<void>;
}

export class FileTransport implements PrinterTransport {
  constructor(private readonly path: string) {}

  async send(bytes: Uint8Array): Promise<void> {
    // 'a' never truncates or creates-with-truncate a device node; a plain file in tests just grows.
    const handle = await open(this.path, 'a');
    try {
      await handle.write(bytes);
    } finally {
      await handle.close();
    }
  }
}

export class TcpTransport implements PrinterTransport {
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 5000,
  ) {}

  send(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: this.host, port: this.port });
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (err) reject(err);
        else resolve();
      };
      // The timer is the printer's whole budget: connect + write + close.
      socket.setTimeout(this.timeoutMs, () => finish(new Error(`printer at ${this.host}:${this.port} timed out`)));
      socket.on('error', (e) => finish(e));
      socket.on('connect', () => socket.end(bytes, () => finish()));
    });
  }
}

export function createPrinterTransport(config: PrinterConfig): PrinterTransport {
  return config.kind === 'file' ? new FileTransport(config.path) : new TcpTransport(config.host, config.port);
}
