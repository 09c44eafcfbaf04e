import { validationError } from './errors';

/**
 * DRF field validation, reduced to what our serializers need, with DRF's messages and codes. Each
 * function takes the value and the error `attr` (drf-exceptions-hog's `a__0__b` path) and throws the
 * first problem as a 400 validation_error.
 */

/** Python's name for a JSON value's type, as DRF puts it in messages. */
export function pythonType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

export function requireObject(value: unknown, attr: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError(
      'invalid',
      `Invalid data. Expected a dictionary, but got ${pythonType(value)}.`,
      attr,
    );
  }
  return value as Record<string, unknown>;
}

export function required(value: unknown, attr: string): unknown {
  if (value === undefined) throw validationError('required', 'This field is required.', attr);
  return value;
}

export function charField(
  value: unknown,
  attr: string,
  options: { allowNull?: boolean } = {},
): string | null {
  if (value === null) {
    if (options.allowNull) return null;
    throw validationError('null', 'This field may not be null.', attr);
  }
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw validationError('invalid', 'Not a valid string.', attr);
  const text = value.trim(); // DRF's trim_whitespace
  if (text === '') throw validationError('blank', 'This field may not be blank.', attr);
  return text;
}

const TRUE_VALUES = new Set<unknown>([
  true,
  1,
  't',
  'T',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  '1',
]);
const FALSE_VALUES = new Set<unknown>([
  false,
  0,
  'f',
  'F',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '0',
]);

export function booleanField(value: unknown, attr: string): boolean {
  if (TRUE_VALUES.has(value)) return true;
  if (FALSE_VALUES.has(value)) return false;
  if (value === null) throw validationError('null', 'This field may not be null.', attr);
  throw validationError('invalid', 'Must be a valid boolean.', attr);
}

export function integerField(
  value: unknown,
  attr: string,
  options: { allowNull?: boolean; minValue?: number } = {},
): number | null {
  if (value === null) {
    if (options.allowNull) return null;
    throw validationError('null', 'This field may not be null.', attr);
  }
  const number =
    typeof value === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(value) ? Number.parseFloat(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw validationError('invalid', 'A valid integer is required.', attr);
  }
  if (options.minValue !== undefined && number < options.minValue) {
    throw validationError(
      'min_value',
      `Ensure this value is greater than or equal to ${options.minValue}.`,
      attr,
    );
  }
  return number;
}

export function listField(value: unknown, attr: string, options: { maxLength?: number } = {}): unknown[] {
  if (value === null) throw validationError('null', 'This field may not be null.', attr);
  if (!Array.isArray(value)) {
    throw validationError(
      'not_a_list',
      `Expected a list of items but got type "${pythonType(value)}".`,
      attr,
    );
  }
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    throw validationError(
      'max_length',
      `Ensure this field has no more than ${options.maxLength} elements.`,
      attr,
    );
  }
  return value;
}

/** Python's `repr` of a float, from JS's shortest round-trip digits (fixed notation for 1e-4 ≤ |x| < 1e16). */
function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const [digits = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(0, (digits.split('.')[1] ?? '').length - exponent));
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

function pythonRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(
      /[\\\n\r\t]/g,
      (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!,
    );
    return `${quote}${quote === "'" ? escaped.replaceAll("'", "\\'") : escaped}${quote}`;
  }
  return pythonStr(value);
}

/**
 * Python's `str()` of a parsed JSON value, as Django views apply it (`str(version)`): `True`, `1.5`,
 * `[1, 'a']`, `{'a': None}`. JSON cannot tell `1` from `1.0` once parsed; safe integers print as ints.
 */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : pythonFloat(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
}
