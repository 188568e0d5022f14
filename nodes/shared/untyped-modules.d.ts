// Minimal typings for the pure-JS codec packages, which ship none.
declare module 'kafkajs-snappy' {
  const createSnappyCodec: () => { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
  export default createSnappyCodec;
}
declare module 'lz4js' {
  export function compressBound(length: number): number;
  export function compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  export function compress(input: Uint8Array | Buffer, maxSize?: number): Uint8Array | number[];
  export function decompress(input: Uint8Array | Buffer, maxSize?: number): Uint8Array | number[];
}
declare module 'zstd-codec' {
  interface ZstdStreaming {
    compress(input: Uint8Array, level?: number): Uint8Array;
    decompress(input: Uint8Array, sizeHint?: number): Uint8Array;
  }
  interface ZstdBinding {
    Streaming: new () => ZstdStreaming;
  }
  export const ZstdCodec: { run(callback: (zstd: ZstdBinding) => void): void };
}
declare module 'lz4js/xxh32' {
  export function hash(seed: number, src: Uint8Array, index: number, length: number): number;
}
// kafkajs' internal request queue (vendor.ts fixes its negative throttle timeout).
declare module 'kafkajs/src/network/requestQueue' {
  class RequestQueue {
    throttledUntil: number;
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    pending: unknown[];
    checkPendingRequests(): void;
    scheduleCheckPendingRequests(): void;
  }
  export default RequestQueue;
}
