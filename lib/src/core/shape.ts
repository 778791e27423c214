/**
 * Internal helpers for argument checks shared by the float64 numerics (linalg, decompositions, eigen, stats,
 * metrics). Not re-exported from the package: the error texts they build are the public part.
 */
import { asMatrix, Matrix, type MatrixLike, type VectorLike } from "./matrix";

/** "3×4" for a Matrix. */
export function shapeText(m: Matrix): string {
  return `${m.rows}×${m.cols}`;
}

/** True when `x` should be read as a matrix (a Matrix or an array of rows) rather than a vector. */
export function isMatrixInput(x: MatrixLike | VectorLike): x is MatrixLike {
  if (x instanceof Matrix) return true;
  if (ArrayBuffer.isView(x)) return false;
  return (x as ArrayLike<unknown>).length > 0 && typeof (x as ArrayLike<unknown>)[0] === "object";
}

/** asMatrix with the caller named in errors. */
export function matrixArg(x: MatrixLike, fn: string, arg: string): Matrix {
  return asMatrix(x, fn, arg);
}

/** A Float64Array view or copy of a vector argument, with the caller named in errors. */
export function vectorArg(x: VectorLike, fn: string, arg: string): Float64Array {
  if (x instanceof Float64Array) return x;
  if (x instanceof Matrix) throw new Error(`${fn}: ${arg} must be a vector, not a Matrix (got ${shapeText(x)})`);
  if (x == null || typeof (x as ArrayLike<number>).length !== "number" || typeof x === "string") {
    throw new Error(`${fn}: ${arg} must be a Float64Array or an array of numbers (got ${x === null ? "null" : typeof x})`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== "number") {
      throw new Error(`${fn}: ${arg} must hold numbers (entry ${i} is ${typeof v}); pass a matrix where a matrix is expected`);
    }
    out[i] = v;
  }
  return out;
}

/** Throws when a matrix entry is NaN or ±Infinity, naming the entry by (row, column). */
export function requireFiniteMatrix(m: Matrix, fn: string, arg: string): void {
  const d = m.data;
  for (let k = 0; k < d.length; k++) {
    if (!Number.isFinite(d[k])) {
      const i = Math.floor(k / m.cols);
      throw new Error(`${fn}: ${arg} contains ${d[k]} at (${i}, ${k - i * m.cols}); all entries must be finite numbers`);
    }
  }
}

/** Throws when a vector entry is NaN (±Infinity allowed), naming the index. */
export function requireNoNaN(x: ArrayLike<number>, fn: string, arg: string): void {
  for (let k = 0; k < x.length; k++) {
    if (Number.isNaN(x[k])) throw new Error(`${fn}: ${arg} contains NaN at index ${k}; remove or fix the missing value`);
  }
}

/** Throws unless the matrix is square. */
export function requireSquare(m: Matrix, fn: string, arg: string): void {
  if (m.rows !== m.cols) throw new Error(`${fn}: ${arg} must be square (got ${shapeText(m)})`);
}

/** The largest |entry| of an array (0 when empty). */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < x.length; k++) {
    const a = Math.abs(x[k]);
    if (a > m) m = a;
  }
  return m;
}

/**
 * Throws unless the square matrix is symmetric to within `tol` relative to its largest entry, naming the first
 * asymmetric pair.
 */
export function requireSymmetric(m: Matrix, fn: string, arg: string, tol: number): void {
  const n = m.rows;
  const d = m.data;
  const bound = tol * maxAbs(d);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = d[i * n + j];
      const b = d[j * n + i];
      if (Math.abs(a - b) > bound) {
        throw new Error(
          `${fn}: ${arg} must be symmetric (${arg}[${i}][${j}] = ${a} but ${arg}[${j}][${i}] = ${b}); ` +
            `symmetrize it with (a + aᵀ)/2 if the difference is rounding`,
        );
      }
    }
  }
}

/** A positive integer argument or option, with the caller named in errors. */
export function positiveIntegerArg(fn: string, name: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`${fn}: ${name} must be a positive integer (got ${String(v)})`);
  return v as number;
}
