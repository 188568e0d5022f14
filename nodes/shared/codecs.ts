import { CompressionCodecs, CompressionTypes, ZstdCodec, createSnappyCodec, lz4js } from './vendor';

// kafkajs ships only GZIP. The built-in n8n nodes fail on LZ4/Snappy/ZSTD topics ("not implemented");
// registering pure-JS / WebAssembly codecs here fixes that for every client the adapter creates,
// without native addons (which cannot be bundled into a community package).

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const lz4Codec = (): KafkajsCodec => ({
  async compress(encoder) {
    return Buffer.from(lz4js.compress(encoder.buffer));
  },
  async decompress(buffer) {
    return Buffer.from(lz4js.decompress(buffer));
  },
});

type ZstdStreamingCtor = new () => { compress(input: Uint8Array, level?: number): Uint8Array; decompress(input: Uint8Array): Uint8Array };
let zstdReady: Promise<ZstdStreamingCtor> | undefined;
const loadZstd = () => (zstdReady ??= new Promise((resolve) => ZstdCodec.run((zstd) => resolve(zstd.Streaming))));

// The streaming API is used for decompression because producers such as librdkafka write frames
// without the content size, which the "simple" API refuses.
const zstdCodec = (): KafkajsCodec => ({
  async compress(encoder) {
    const Streaming = await loadZstd();
    return Buffer.from(new Streaming().compress(encoder.buffer, 3));
  },
  async decompress(buffer) {
    const Streaming = await loadZstd();
    return Buffer.from(new Streaming().decompress(buffer));
  },
});

let registered = false;
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  const codecs = CompressionCodecs as unknown as Record<number, () => KafkajsCodec>;
  codecs[CompressionTypes.Snappy] = createSnappyCodec as unknown as () => KafkajsCodec;
  codecs[CompressionTypes.LZ4] = lz4Codec;
  codecs[CompressionTypes.ZSTD] = zstdCodec;
}

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export function compressionType(name: CompressionName | undefined): number {
  switch (name ?? 'none') {
    case 'gzip':
      return CompressionTypes.GZIP;
    case 'snappy':
      return CompressionTypes.Snappy;
    case 'lz4':
      return CompressionTypes.LZ4;
    case 'zstd':
      return CompressionTypes.ZSTD;
    default:
      return CompressionTypes.None;
  }
}
