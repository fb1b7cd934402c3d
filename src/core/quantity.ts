import { Size, SizeRoundingBehavior } from 'cdk8s';
import type { Cpu } from 'cdk8s-plus-30';
import { invalid } from './errors';


// Kubernetes quantity grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal number
// followed by a binary suffix, a decimal suffix or a decimal exponent.
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|([eE][+-]?\d+))?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

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
  let value = Number(digits);
  let binary = false;
  if (suffix && BINARY[suffix]) {
    value *= BINARY[suffix];
    binary = true;
  } else if (suffix) {
    value *= DECIMAL[suffix];
  } else if (exponent) {
    value *= 10 ** Number(exponent.slice(1));
  }
  return { value: sign === '-' ? -value : value, binary };
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
export const MAX_BYTES = 2 ** 53;

/**
 * The bytes of a size that a Kubernetes object holds as memory or storage: a whole number
 * (greater than zero when `positive`), at most 8Pi. Fails with the path otherwise.
 */
export function checkBytes(path: string, size: Size, positive: boolean): number {
  const bytes = sizeToBytes(size);
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
    const factor = DECIMAL[suffix];
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
