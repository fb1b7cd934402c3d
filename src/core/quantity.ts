import { Size, SizeRoundingBehavior } from 'cdk8s';
import type { Cpu } from 'cdk8s-plus-30';
import { invalid } from './errors';


// Kubernetes quantity grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal number
// followed by a binary suffix, a decimal suffix or a decimal exponent.
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|([eE][+-]?\d+))?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
/** The power of ten of each decimal suffix. */
const DECIMAL_POWER: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export interface ParsedQuantity {
  /** The value in base units (bytes, cores). */
  readonly value: number;
  /** Whether the quantity used a binary (Ki, Mi...) suffix. */
  readonly binary: boolean;
}

/** Parses a Kubernetes quantity; returns undefined when the text is not one. */
export function parseQuantity(text: string): ParsedQuantity | undefined {
  const match = QUANTITY.exec(text.trim() === text ? text : '');
  if (!match) return undefined;
  const [, sign, digits, suffix, exponent] = match;
  const binary = suffix !== undefined && BINARY[suffix] !== undefined;
  const power = binary ? 0 : suffix ? DECIMAL_POWER[suffix] : exponent ? Number(exponent.slice(1)) : 0;
  const value = exactValue(digits, binary ? BINARY[suffix] : 1, power);
  return { value: sign === '-' ? -value : value, binary };
}

/**
 * digits × factor × 10^power, exact whenever the result is a whole number (in floating point,
 * "2.01k" would be 2009.9999999999998 bytes, and "0.3G" not a whole number of bytes either).
 */
function exactValue(digits: string, factor: number, power: number): number {
  const [whole, fraction = ''] = digits.split('.');
  // Beyond these sizes the value is far outside any range the library accepts: no exactness needed
  // (and no huge BigInt power from a hostile exponent).
  if (digits.length > 40 || Math.abs(power) > 40) return Number(digits) * factor * 10 ** power;
  let numerator = BigInt(`${whole}${fraction}` || '0') * BigInt(factor);
  let denominator = 10n ** BigInt(fraction.length);
  if (power >= 0) numerator *= 10n ** BigInt(power); else denominator *= 10n ** BigInt(-power);
  if (numerator % denominator === 0n) return Number(numerator / denominator);
  return Number(numerator) / Number(denominator);
}

/** Parses a quantity or fails with the prop path. Numbers are accepted as YAML gives them. */
export function requireQuantity(path: string, input: unknown): ParsedQuantity {
  const parsed = typeof input === 'string' ? parseQuantity(input)
    : typeof input === 'number' && Number.isFinite(input) ? { value: input, binary: false } : undefined;
  if (!parsed) invalid(path, input, 'a Kubernetes quantity such as "512Mi", "2Gi", "1.5G" or "500m"');
  if (parsed.value < 0) invalid(path, input, 'a quantity that is not negative');
  return parsed;
}

/** The number of bytes a Size holds (exact, also for fractional amounts). */
export function sizeToBytes(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
}

/**
 * The largest byte count the library writes into an object: 8Pi (2^53 bytes). The API server
 * counts memory and storage in thousandths of a byte in an int64 and, above about 8.19 PB, where
 * those no longer fit, warns "fractional byte value ... is invalid" for a whole number of bytes.
 */
const MAX_BYTES = 2 ** 53;

/**
 * Checks a byte count that a Kubernetes object holds as memory or storage: a whole number
 * (greater than zero when `positive`), at most 8Pi. Fails with the path otherwise.
 */
export function checkBytes(path: string, bytes: number, positive: boolean): number {
  if (!Number.isFinite(bytes) || bytes < 0 || (positive && bytes === 0)) {
    invalid(path, `${bytes} bytes`, positive ? 'a size greater than zero' : 'a size that is not negative');
  }
  if (!Number.isInteger(bytes)) invalid(path, `${bytes} bytes`, 'a whole number of bytes (the API server refuses fractions of a byte)');
  if (bytes > MAX_BYTES) invalid(path, formatBytes(bytes), 'at most 8Pi (the API server cannot count larger memory or storage amounts)');
  return bytes;
}

/** A Size that holds exactly this many bytes. */
export function bytesToSize(bytes: number): Size {
  return Size.kibibytes(bytes / 1024);
}

/** Parses a storage quantity ("5Gi", "1500M") into a Size holding the same number of bytes. */
export function parseSize(path: string, input: unknown): Size {
  return bytesToSize(requireQuantity(path, input).value);
}

/** Renders bytes in the largest unit that holds them exactly: 5Gi, 1500M, 1234. */
export function formatBytes(bytes: number): string {
  for (const [suffix, factor] of Object.entries(BINARY).reverse()) {
    if (bytes >= factor && Number.isInteger(bytes / factor)) return `${bytes / factor}${suffix}`;
  }
  for (const suffix of ['E', 'P', 'T', 'G', 'M', 'k']) {
    const factor = 10 ** DECIMAL_POWER[suffix];
    if (bytes >= factor && Number.isInteger(bytes / factor)) return `${bytes / factor}${suffix}`;
  }
  return Number.isInteger(bytes) ? String(bytes) : `${Math.round(bytes * 1000)}m`;
}

export function sizeToQuantity(size: Size): string {
  return formatBytes(sizeToBytes(size));
}

/**
 * The size in megabytes as the agent's `*_SIZE_LIMIT_MB` settings expect it. The chart counts
 * binary quantities in MiB and decimal ones in MB (`20Gi` is 20480, `1500M` is 1500); this does the
 * same, exactly (`1.5Gi` is 1536, where the chart truncates to 1024).
 */
export function sizeToMegabytes(size: Size): number {
  const bytes = sizeToBytes(size);
  const mebibytes = bytes / 2 ** 20;
  if (Number.isInteger(mebibytes)) return mebibytes;
  const megabytes = bytes / 1e6;
  if (Number.isInteger(megabytes)) return megabytes;
  return Math.floor(mebibytes);
}

/** A cdk8s-plus Cpu with this amount, without loading cdk8s-plus (Cpu is a plain holder of it). */
export function cpu(amount: string): Cpu {
  return { amount } as Cpu;
}

/** Parses a CPU quantity ("500m", "2", 1.5) into a cdk8s-plus Cpu. */
export function parseCpu(path: string, input: unknown): Cpu {
  const parsed = requireQuantity(path, input);
  // Keep the user's notation: "500m" stays millicores and "2" stays cores.
  if (typeof input === 'string') return cpu(input);
  return cpu(String(parsed.value));
}

/** The value of a Cpu in cores, validating its text. */
export function cpuCores(path: string, amount: Cpu): number {
  return requireQuantity(path, amount.amount).value;
}
