/**
 * The part of the `WebAssembly` global this library uses. TypeScript declares it only in the DOM
 * libs and `@types/node` 20 not at all, while every runtime the library targets (Node >= 20, browsers)
 * provides it.
 */
declare namespace WebAssembly {
  /** A compiled module; can be posted to worker threads. */
  class Module {
    constructor(bytes: BufferSource);
  }
  /** An instantiated module. */
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  /** Linear memory of an instance. */
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  /** Whether `bytes` is a valid module for this runtime (false if it uses unsupported features such as SIMD). */
  function validate(bytes: BufferSource): boolean;
}
