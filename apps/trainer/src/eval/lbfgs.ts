/** A differentiable objective: returns f(x) and writes the gradient into `grad` (same length as x). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** History size (default 10). */
  memory?: number;
  /** Stop when max |grad| falls below this (default 1e-6). */
  gradTolerance?: number;
  /** Stop when the relative decrease of f in one iteration falls below this (default 1e-10). */
  relativeTolerance?: number;
  /** Iteration cap (default 500). */
  maxIterations?: number;
}

/** The minimiser's result: the point, its value, the iterations used and whether a tolerance was met. */
export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4) with a backtracking Armijo line search,
 * in float64. Deterministic: the same objective and start give the same iterates.
 */
export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const memory = options.memory ?? 10;
  const gradTolerance = options.gradTolerance ?? 1e-6;
  const relativeTolerance = options.relativeTolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 500;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let grad = new Float64Array(n);
  let value = objective(x, grad);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Array<number>(memory).fill(0);
  let converged = maxAbs(grad) < gradTolerance;
  let iterations = 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    // Two-loop recursion: direction = -H grad.
    for (let i = 0; i < n; i++) direction[i] = -grad[i]!;
    const m = sHistory.length;
    for (let j = m - 1; j >= 0; j--) {
      alpha[j] = rhoHistory[j]! * dot(sHistory[j]!, direction);
      const y = yHistory[j]!;
      for (let i = 0; i < n; i++) direction[i] = direction[i]! - alpha[j]! * y[i]!;
    }
    const gamma = m > 0 ? dot(sHistory[m - 1]!, yHistory[m - 1]!) / dot(yHistory[m - 1]!, yHistory[m - 1]!) : 1 / Math.max(1, maxAbs(grad));
    for (let i = 0; i < n; i++) direction[i] = direction[i]! * gamma;
    for (let j = 0; j < m; j++) {
      const beta = rhoHistory[j]! * dot(yHistory[j]!, direction);
      const s = sHistory[j]!;
      for (let i = 0; i < n; i++) direction[i] = direction[i]! + (alpha[j]! - beta) * s[i]!;
    }
    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHistory.length = 0;
      yHistory.length = 0;
      rhoHistory.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -grad[i]! / Math.max(1, maxAbs(grad));
      slope = dot(grad, direction);
    }
    let step = 1;
    const nextX = new Float64Array(n);
    const nextGrad = new Float64Array(n);
    let nextValue = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) nextX[i] = x[i]! + step * direction[i]!;
      nextValue = objective(nextX, nextGrad);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextValue < value)) {
      converged = true; // No further decrease possible at float64 precision.
      break;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = nextX[i]! - x[i]!;
      y[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
      if (sHistory.length > memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
    }
    const decrease = (value - nextValue) / Math.max(Math.abs(value), Math.abs(nextValue), 1);
    x = nextX;
    grad = nextGrad;
    value = nextValue;
    converged = maxAbs(grad) < gradTolerance || decrease < relativeTolerance;
  }
  return { x, value, iterations, converged };
}
