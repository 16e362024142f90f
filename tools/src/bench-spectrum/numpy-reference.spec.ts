import { describe, it, expect } from 'vitest';
import type { BlasInfo } from './numpy-reference.ts';
import { NumpyReferenceError, blasRefusal, numpyEnvironment, runNumpyReference } from './numpy-reference.ts';

const base: BlasInfo = { source: 'numpy.show_config', name: null, version: null, threads: null, libraries: [] };

describe('blasRefusal', () => {
  it('accepts OpenBLAS found by threadpoolctl or by show_config', () => {
    expect(blasRefusal({ ...base, source: 'threadpoolctl', name: 'openblas', threads: 2 })).toBeNull();
    expect(blasRefusal({ ...base, name: 'scipy-openblas', libraries: ['/site-packages/numpy.libs/libscipy_openblas64_-32a4.so'] })).toBeNull();
    expect(blasRefusal({ ...base, name: 'mkl' })).toBeNull();
  });

  it("accepts Debian's generic 'blas' when the loaded library is the OpenBLAS alternative", () => {
    const lib = '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3';
    expect(blasRefusal({ ...base, name: 'blas', libraries: [lib] })).toBeNull();
  });

  it('refuses the reference BLAS, naming it and what is missing', () => {
    const lib = '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3';
    const reason = blasRefusal({ ...base, name: 'blas', libraries: [lib] });
    expect(reason).toMatch(/numpy's BLAS is 'blas'/);
    expect(reason).toContain(lib);
    expect(reason).toMatch(/Missing: an optimised BLAS/);
    expect(reason).toMatch(/installs nothing/);
  });

  it('refuses when threadpoolctl sees no BLAS and no optimised library is loaded', () => {
    const reason = blasRefusal({ ...base, source: 'threadpoolctl', name: 'none detected' });
    expect(reason).toMatch(/via threadpoolctl; libraries: none found/);
  });
});

describe('runNumpyReference', () => {
  it('says what is missing when the interpreter does not exist', () => {
    const run = (): unknown => runNumpyReference('a.npy', 'b.npy', 1, 10, 8, '/nonexistent/python3');
    expect(run).toThrow(NumpyReferenceError);
    expect(run).toThrow(/cannot run '\/nonexistent\/python3'.*missing: a python3 with numpy/);
  });
});

describe('numpyEnvironment', () => {
  it('drops OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE and keeps the rest', () => {
    const env = numpyEnvironment({ OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/bin', OPENBLAS_NUM_THREADS: '2' });
    expect(env).toEqual({ PATH: '/bin', OPENBLAS_NUM_THREADS: '2' });
  });
});
