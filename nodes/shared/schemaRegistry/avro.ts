import { avsc } from '../vendor';

/**
 * Avro ↔ n8n JSON without loss, as options for avsc (which the serde library hands to
 * `Type.forSchema`):
 * - `long` is read as a BigInt (avsc refuses values beyond 2^53 otherwise) and written from a
 *   number, a BigInt or a decimal string; JSON output makes it a number when exact, else a string.
 * - `bytes` (and `fixed`) come out as base64 and are written from base64 text or a Buffer.
 * - logical types come out as natural JSON (ISO timestamps, YYYY-MM-DD dates, HH:MM:SS.fff times,
 *   decimals as exact strings) and are written from those forms or from their raw values, so what
 *   the Trigger emits, the Producer accepts unchanged.
 */

const MS_PER_DAY = 86_400_000;
type AnyType = any;

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** avsc's long, but as BigInt: exact over the whole int64 range. */
const bigLong = avsc.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: unknown) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(toBigInt(value) as bigint);
    return buffer;
  },
  fromJSON: (value: unknown) => toBigInt(value),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => {
    const big = toBigInt(value);
    return big !== undefined && big >= INT64_MIN && big <= INT64_MAX;
  },
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** JSON for a BigInt: a number when it is exact, a string otherwise. */
export function longToJson(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
function fromBase64(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

const pad = (value: number | bigint, width: number) => String(value).padStart(width, '0');

/** ISO 8601 UTC with `digits` fractional digits, from an epoch count in 10^-digits seconds. */
function isoFromEpoch(units: bigint, digits: 3 | 6, zone: 'Z' | ''): string {
  const perSecond = 10n ** BigInt(digits);
  let seconds = units / perSecond;
  let fraction = units % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new Error(`timestamp ${units} is out of range`);
  return `${date.toISOString().slice(0, 19)}.${pad(fraction, digits)}${zone}`;
}

/** Epoch count in 10^-digits seconds from an ISO 8601 text (any fraction length) or a raw number. */
function epochFromIso(value: unknown, digits: 3 | 6, local: boolean): bigint | undefined {
  const raw = toBigInt(value);
  if (raw !== undefined) return raw;
  if (value instanceof Date) value = value.toISOString();
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return undefined;
  const [, day, time, fraction = '', zone] = match;
  if (!local && !zone) return undefined;
  const whole = Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time}${local ? 'Z' : zone}`);
  if (Number.isNaN(whole)) return undefined;
  const perSecond = 10n ** BigInt(digits);
  const fractionUnits = BigInt((fraction + '000000').slice(0, digits));
  return (BigInt(whole) / 1000n) * perSecond + fractionUnits;
}

function timeText(units: bigint, digits: 3 | 6): string {
  const perSecond = 10n ** BigInt(digits);
  const seconds = units / perSecond;
  return `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}.${pad(units % perSecond, digits)}`;
}

function timeUnits(value: unknown, digits: 3 | 6): bigint | undefined {
  const raw = toBigInt(value);
  if (raw !== undefined) return raw;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(value.trim());
  if (!match) return undefined;
  const [, h, m, s = '0', fraction = ''] = match;
  const perSecond = 10n ** BigInt(digits);
  return (BigInt(h) * 3600n + BigInt(m) * 60n + BigInt(s)) * perSecond + BigInt((fraction + '000000').slice(0, digits));
}

function twosComplement(buffer: Buffer): bigint {
  if (!buffer.length) return 0n;
  let value = BigInt(`0x${buffer.toString('hex')}`);
  if (buffer[0] & 0x80) value -= 1n << BigInt(buffer.length * 8);
  return value;
}

function toTwosComplement(value: bigint, size?: number): Buffer {
  let bytes = 1;
  while (value < -(1n << BigInt(bytes * 8 - 1)) || value >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  const length = size ?? bytes;
  if (bytes > length) throw new Error(`decimal does not fit in ${length} bytes`);
  const unsigned = value < 0n ? (1n << BigInt(length * 8)) + value : value;
  return Buffer.from(unsigned.toString(16).padStart(length * 2, '0'), 'hex');
}

function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** The unscaled integer of a decimal text at `scale`; refuses digits that would be lost. */
function unscaledOf(value: unknown, scale: number): bigint | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) return undefined;
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (!match[2] && !match[3])) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let digits = `${whole}${fraction}`;
  let pointShift = Number(exponent) - fraction.length + scale;
  if (pointShift < 0) {
    const dropped = digits.slice(pointShift);
    if (/[1-9]/.test(dropped)) throw new Error(`${text} has more than ${scale} decimal places`);
    digits = digits.slice(0, pointShift) || '0';
    pointShift = 0;
  }
  const unscaled = BigInt(digits || '0') * 10n ** BigInt(pointShift);
  return sign === '-' ? -unscaled : unscaled;
}

/** Base class: natural JSON out, natural or raw in. */
function logical(name: string, out: (raw: any, schema: any) => unknown, into: (value: unknown, schema: any) => unknown) {
  class NaturalLogicalType extends (avsc.types.LogicalType as any) {
    private readonly schemaAttrs: any;
    constructor(schema: any, opts: any) {
      super(schema, opts);
      this.schemaAttrs = schema;
    }
    _fromValue(raw: unknown) {
      return out(raw, this.schemaAttrs);
    }
    _toValue(value: unknown) {
      const converted = into(value, this.schemaAttrs);
      if (converted === undefined) throw new Error(`not a valid ${name}`);
      return converted;
    }
    _resolve(type: AnyType) {
      const underlying = (this as any).underlyingType;
      if (type.typeName === underlying.typeName || (avsc.Type.isType(type, 'logical') && type.underlyingType?.typeName === underlying.typeName)) {
        return (raw: unknown) => this._fromValue(raw);
      }
      return undefined;
    }
  }
  return NaturalLogicalType;
}

const asNumberRaw = (raw: unknown) => (typeof raw === 'bigint' ? raw : BigInt(raw as number));
const numberOrBig = (units: bigint, underlying: 'int' | 'long') => (underlying === 'int' ? Number(units) : units);

export const naturalLogicalTypes: Record<string, unknown> = {
  'timestamp-millis': logical('timestamp-millis', (raw) => isoFromEpoch(asNumberRaw(raw), 3, 'Z'), (value) => {
    const units = epochFromIso(value, 3, false);
    return units === undefined ? undefined : Number(units);
  }),
  'timestamp-micros': logical('timestamp-micros', (raw) => isoFromEpoch(asNumberRaw(raw), 6, 'Z'), (value) => {
    const units = epochFromIso(value, 6, false);
    return units === undefined ? undefined : Number(units);
  }),
  'local-timestamp-millis': logical('local-timestamp-millis', (raw) => isoFromEpoch(asNumberRaw(raw), 3, ''), (value) => {
    const units = epochFromIso(value, 3, true);
    return units === undefined ? undefined : Number(units);
  }),
  'local-timestamp-micros': logical('local-timestamp-micros', (raw) => isoFromEpoch(asNumberRaw(raw), 6, ''), (value) => {
    const units = epochFromIso(value, 6, true);
    return units === undefined ? undefined : Number(units);
  }),
  date: logical('date', (raw) => new Date(Number(raw) * MS_PER_DAY).toISOString().slice(0, 10), (value) => {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return undefined;
    const ms = Date.parse(`${value.trim()}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms / MS_PER_DAY;
  }),
  'time-millis': logical('time-millis', (raw) => timeText(asNumberRaw(raw), 3), (value) => {
    const units = timeUnits(value, 3);
    return units === undefined ? undefined : numberOrBig(units, 'int');
  }),
  'time-micros': logical('time-micros', (raw) => timeText(asNumberRaw(raw), 6), (value) => {
    const units = timeUnits(value, 6);
    return units === undefined ? undefined : Number(units);
  }),
  decimal: logical(
    'decimal',
    (raw, schema) => decimalText(twosComplement(raw as Buffer), Number(schema.scale ?? 0)),
    (value, schema) => {
      // Raw form: the unscaled two's-complement bytes, as base64 (what the Trigger emits in raw mode).
      if (Buffer.isBuffer(value)) return value;
      const unscaled = unscaledOf(value, Number(schema.scale ?? 0));
      if (unscaled === undefined) return typeof value === 'string' ? fromBase64(value) : undefined;
      const precision = Number(schema.precision ?? 0);
      if (precision && (unscaled < 0n ? -unscaled : unscaled).toString().length > precision) throw new Error(`${String(value)} has more than ${precision} digits`);
      return toTwosComplement(unscaled, schema.type === 'fixed' ? Number(schema.size) : undefined);
    },
  ),
  uuid: logical('uuid', (raw) => raw, (value) => (typeof value === 'string' ? value : undefined)),
};

const Base64Bytes = logical('bytes', (raw) => raw, (value) => fromBase64(value));

/** bytes written from base64 text as well as from Buffers (n8n JSON has no bytes). */
function base64Bytes(schema: any, opts: any): AnyType {
  return new (Base64Bytes as any)({ ...(typeof schema === 'string' ? { type: schema } : schema), logicalType: 'kafka-suite-bytes' }, opts);
}

/**
 * avsc options for the registry library. `raw` keeps logical types as their encoded values (still
 * with exact longs and base64 bytes).
 */
export function avroOptions(mode: 'natural' | 'raw'): Record<string, unknown> {
  return {
    logicalTypes: mode === 'natural' ? naturalLogicalTypes : {},
    typeHook: (schema: any, opts: any) => {
      const type = typeof schema === 'string' ? schema : schema?.type;
      const logicalType = typeof schema === 'object' ? schema?.logicalType : undefined;
      if (type === 'long' && (!logicalType || !(opts.logicalTypes ?? {})[logicalType])) return bigLong;
      if (type === 'bytes' && logicalType !== 'kafka-suite-bytes' && (!logicalType || !(opts.logicalTypes ?? {})[logicalType])) return base64Bytes(schema, opts);
      // A fixed declared here (not a reference to one declared earlier) also takes base64.
      if (type === 'fixed' && !logicalType) return base64Bytes(schema, opts);
      return undefined;
    },
  };
}
