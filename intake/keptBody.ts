// A request whose body keeps every byte the intake received, for the tus endpoint (tusEndpoint.ts).
//
// tus 1.0: "The Server SHOULD always attempt to store as much of the received data as possible."
// @tus/server reads a PATCH body as Node request → web ReadableStream (srvx: Readable.toWeb) →
// Node Readable (Readable.fromWeb) → its own PassThrough → the store. When the booth's connection
// ends mid-body, Node destroys the request with an error, the web stream errors and drops its
// queue, and the library ends only its PassThrough gracefully: the chunks still queued upstream of
// it (measured: 64–150 kB, whole 64 KiB socket reads, per cut) never reached the file, so the next
// HEAD reported less than had arrived and the booth sent those bytes again after every cut.
//
// keptBody() hands the library a stand-in for the request: the same method, URL, headers and
// socket, and a body that takes every chunk from the real request as it arrives (with backpressure:
// the real request is paused while more than `highWaterMark` waits) and, when the client goes
// away, ends gracefully instead of failing, so what was received flows on to the store and the
// PATCH ends with the offset of the last byte received. Nothing else changes: a complete body ends
// as before, and a body longer than Upload-Length is still refused by the library's limiter.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

class KeptBody extends Readable {
  constructor(private readonly raw: IncomingMessage) {
    super({ highWaterMark: 64 * 1024 });
    // Flowing from the start, so nothing waits in the real request's own buffer (which Node
    // discards when it destroys an aborted request); while it is paused, a full socket read stops
    // the socket, so the end of the connection is only seen after that read was passed on.
    const onData = (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    };
    raw.on('data', onData);
    raw.once('end', () => this.push(null));
    let ended = false;
    const gone = () => {
      if (ended || raw.complete) return;
      ended = true;
      // A short read just before the end of the connection can still sit in the request's buffer
      // while it is paused (a read under its high-water mark does not stop the socket); Node
      // drops that buffer with the request, so take it first (read() still returns it).
      raw.off('data', onData);
      for (let chunk: Buffer | null; (chunk = raw.read() as Buffer | null) !== null;) this.push(chunk);
      this.push(null);
    };
    raw.once('aborted', gone);
    raw.once('close', gone);
    raw.on('error', gone);
  }

  override _read(): void {
    this.raw.resume();
  }

  // What srvx's NodeRequest reads from the request besides its body.
  get method() {
    return this.raw.method;
  }
  get url() {
    return this.raw.url;
  }
  get headers() {
    return this.raw.headers;
  }
  get rawHeaders() {
    return this.raw.rawHeaders;
  }
  get socket() {
    return this.raw.socket;
  }
  get complete() {
    return this.raw.complete;
  }
  get httpVersion() {
    return this.raw.httpVersion;
  }
}

/** The request with a body that keeps every received byte when the client goes away (see above). */
export function keptBody(raw: IncomingMessage): IncomingMessage {
  return new KeptBody(raw) as unknown as IncomingMessage;
}
