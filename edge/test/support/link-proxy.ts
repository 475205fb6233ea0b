import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { PAYLOAD_KINDS, type PayloadKind } from '@hema3n/cloud-sync/wire';

/** What happens to one upload (POST /v1/envelopes): forwarded, cut mid-body, or swallowed (no answer ever). */
export type LinkAction = 'pass' | 'cut' | 'hold';

/** The upload as the link sees it: its number (from 1) among uploads of this kind, and the envelope's plaintext kind. */
export interface Upload {
  readonly kind: PayloadKind;
  readonly number: number;
}

export interface LinkProxy {
  readonly port: number;
  readonly url: string;
  /** Uploads cut mid-body so far. */
  cuts(): number;
  /** Uploads swallowed so far. */
  held(): number;
  /** Uploads forwarded whole, per envelope kind. */
  forwarded(kind: PayloadKind): number;
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');
/** An envelope's kind is its byte 5 (docs/ENVELOPE.md); codes are the index plus one. */
const KIND_AT = 5;
/** A cut upload gets this much of its request through before both sides are destroyed. */
const CUT_AFTER_BYTES = 200;

/**
 * A TCP proxy to the cloud that plays a bad link, deciding per upload from the envelope's
 * (plaintext) kind: pass it on, cut the connection mid-body (the edge sees its request die and the
 * cloud never gets it whole), or hold it (the request hangs until the edge gives up). It follows
 * HTTP/1.1 request framing by Content-Length, so kept-alive connections are judged request by request.
 */
export async function startLinkProxy(targetPort: number, decide: (upload: Upload) => LinkAction = () => 'pass'): Promise<LinkProxy> {
  let cuts = 0;
  let held = 0;
  const counts = new Map<PayloadKind, { seen: number; forwarded: number }>();
  const sockets = new Set<Socket>();
  const countFor = (kind: PayloadKind) => counts.get(kind) ?? (counts.set(kind, { seen: 0, forwarded: 0 }), counts.get(kind)!);

  const server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(targetPort, '127.0.0.1');
    let pending = Buffer.alloc(0);
    /** Body bytes of the current request still to forward; undefined while reading a request head. */
    let bodyLeft: number | undefined;
    let current: { kind: PayloadKind; action: LinkAction; forwarded: number } | undefined;

    const pump = (): void => {
      while (pending.length > 0 && !client.destroyed) {
        if (bodyLeft === undefined) {
          const end = pending.indexOf(HEAD_END);
          if (end < 0) return;
          const head = pending.subarray(0, end + HEAD_END.length).toString('latin1');
          const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
          const isUpload = head.startsWith('POST /v1/envelopes ');
          if (isUpload && pending.length < end + HEAD_END.length + KIND_AT + 1) return;
          if (isUpload) {
            const kind = PAYLOAD_KINDS[pending[end + HEAD_END.length + KIND_AT]! - 1]!;
            const count = countFor(kind);
            count.seen += 1;
            current = { kind, action: decide({ kind, number: count.seen }), forwarded: 0 };
            if (current.action === 'hold') held += 1;
          } else current = undefined;
          bodyLeft = length + end + HEAD_END.length;
        }
        const take = Math.min(bodyLeft, pending.length);
        const piece = pending.subarray(0, take);
        pending = pending.subarray(take);
        bodyLeft -= take;
        if (!forward(piece)) return;
        if (bodyLeft === 0) {
          if (current?.action === 'pass') countFor(current.kind).forwarded += 1;
          bodyLeft = undefined;
          current = undefined;
        }
      }
    };

    /** False when the connection was cut. */
    const forward = (piece: Buffer): boolean => {
      if (current?.action === 'hold') return true;
      if (current?.action === 'cut') {
        const room = CUT_AFTER_BYTES - current.forwarded;
        upstream.write(piece.subarray(0, Math.max(0, room)));
        current.forwarded += piece.length;
        if (current.forwarded <= CUT_AFTER_BYTES) return true;
        cuts += 1;
        client.destroy();
        upstream.destroy();
        return false;
      }
      upstream.write(piece);
      return true;
    };

    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      pump();
    });
    upstream.on('data', (chunk) => client.write(chunk));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => (upstream.destroy(), sockets.delete(client)));
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    cuts: () => cuts,
    held: () => held,
    forwarded: (kind) => counts.get(kind)?.forwarded ?? 0,
    close: () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => r());
      }),
  };
}
