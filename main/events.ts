// Server-sent events from the core to the kiosk UI. Each event is validated against the contract
// before it is sent, so a malformed event fails here, not in the resident's screen.
import type { ServerResponse } from 'node:http';
import { BoothEvent } from '../contract/kiosk.ts';

export class EventHub {
  private readonly clients = new Set<ServerResponse>();

  attach(res: ServerResponse, hello: BoothEvent): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    this.write(res, hello);
  }

  publish(event: BoothEvent): void {
    const checked = BoothEvent.parse(event);
    for (const res of this.clients) this.write(res, checked);
  }

  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(res: ServerResponse, event: BoothEvent): void {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  }
}
