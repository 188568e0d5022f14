import { CompressionCodecs, CompressionTypes, ZstdCodec, createSnappyCodec, lz4js, lz4xxh32 } from './vendor';

// kafkajs ships only GZIP. The built-in n8n nodes fail on LZ4/Snappy/ZSTD topics ("not implemented");
// registering pure-JS / WebAssembly codecs here fixes that for every client the adapter creates,
// without native addons (which cannot be bundled into a community package).

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK_SIZE = 64 * 1024;
// FLG: version 01 + independent blocks; BD: 64 KB maximum block size. Kafka's LZ4 reader refuses
// dependent-block frames, which is what lz4js's own frame writer produces, so lz4js is used for
// block compression and xxhash only, and the frame is written here.
const LZ4_FLG = 0x60;
const LZ4_BD = 4 << 4;

function lz4CompressKafkaFrame(input: Buffer): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt32LE(LZ4_MAGIC, 0);
  header[4] = LZ4_FLG;
  header[5] = LZ4_BD;
  header[6] = (lz4xxh32.hash(0, header, 4, 2) >>> 8) & 0xff;
  const parts: Buffer[] = [header];
  const blockBuffer = new Uint8Array(lz4js.compressBound(LZ4_BLOCK_SIZE));
  for (let offset = 0; offset < input.length; offset += LZ4_BLOCK_SIZE) {
    const length = Math.min(LZ4_BLOCK_SIZE, input.length - offset);
    // A fresh hash table per block keeps every block independent of the previous one.
    const compressedSize = lz4js.compressBlock(input, blockBuffer, offset, length, new Uint32Array(1 << 16));
    const size = Buffer.alloc(4);
    if (compressedSize === 0 || compressedSize >= length) {
      size.writeUInt32LE((0x80000000 | length) >>> 0, 0);
      parts.push(size, input.subarray(offset, offset + length));
    } else {
      size.writeUInt32LE(compressedSize, 0);
      parts.push(size, Buffer.from(blockBuffer.subarray(0, compressedSize)));
    }
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

const lz4Codec = (): KafkajsCodec => ({
  async compress(encoder) {
    return lz4CompressKafkaFrame(encoder.buffer);
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
