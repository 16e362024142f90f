#!/usr/bin/env python3
"""numpy reference for `npm run bench:spectrum` (tools/src/bench-spectrum.ts).

Reports which BLAS numpy uses, then times the spectrum of the same matrices SiamWatch measures:
  * in memory: float64 copy, mean-centring, Gram matrix Xc^T Xc, numpy.linalg.eigvalsh;
  * streamed: np.load(mmap_mode='r') read in chunks, per-chunk float64 Gram and column sums,
    centred Gram = G - n m m^T, eigvalsh.
Prints one JSON object on stdout. Installs nothing; only needs numpy (threadpoolctl is optional).

  * eigensolver alone: eigvalsh of a random symmetric EIG_DIM x EIG_DIM matrix.
Wall and CPU (process) times are both reported: on a shared machine CPU time is the steadier one.

Usage: bench-spectrum.py MATRIX.npy STREAM.npy REPEATS CHUNK_ROWS EIG_DIM
"""
import json
import sys
import time


def blas_info(np):
    """Which BLAS numpy calls: threadpoolctl if importable, else numpy.show_config() and /proc/self/maps."""
    info = {"source": None, "name": None, "version": None, "threads": None, "libraries": []}
    np.ones((64, 64)) @ np.ones((64, 64))  # make sure the BLAS library is loaded
    try:
        from threadpoolctl import threadpool_info

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        info["source"] = "threadpoolctl"
        if pools:
            info["name"] = pools[0].get("internal_api")
            info["version"] = pools[0].get("version")
            info["threads"] = pools[0].get("num_threads")
        else:
            info["name"] = "none detected (reference BLAS is invisible to threadpoolctl)"
    except ImportError:
        info["source"] = "numpy.show_config"
        try:
            config = np.show_config(mode="dicts")
            blas = config.get("Build Dependencies", {}).get("blas", {})
            info["name"] = blas.get("name")
            info["version"] = blas.get("version")
            info["configuration"] = blas.get("openblas configuration")
        except TypeError:  # numpy < 1.25: show_config() only prints
            info["name"] = "unknown (numpy too old for show_config(mode='dicts'))"
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
        info["libraries"] = sorted(lib for lib in libs if lib.startswith("/"))
    except OSError:
        pass
    return info


def spectrum_in_memory(np, x):
    x64 = x.astype(np.float64)
    xc = x64 - x64.mean(axis=0)
    gram = xc.T @ xc
    return np.linalg.eigvalsh(gram)


def spectrum_streamed(np, path, chunk_rows):
    data = np.load(path, mmap_mode="r")
    n, d = data.shape
    gram = np.zeros((d, d))
    total = np.zeros(d)
    for start in range(0, n, chunk_rows):
        chunk = np.asarray(data[start:start + chunk_rows], dtype=np.float64)
        gram += chunk.T @ chunk
        total += chunk.sum(axis=0)
    mean = total / n
    return np.linalg.eigvalsh(gram - n * np.outer(mean, mean))


def singular_values(np, eigenvalues):
    return np.sqrt(np.clip(eigenvalues[::-1], 0, None))


def main():
    import numpy as np

    matrix_path, stream_path = sys.argv[1], sys.argv[2]
    repeats, chunk_rows, eig_dim = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    result = {"numpy": np.__version__, "blas": blas_info(np)}
    x = np.load(matrix_path)
    times, cpu = [], []
    for _ in range(repeats + 1):  # first run warms up
        start, start_cpu = time.perf_counter(), time.process_time()
        eig = spectrum_in_memory(np, x)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    result["inMemoryMs"] = times[1:]
    result["inMemoryCpuMs"] = cpu[1:]
    result["inMemorySingularValues"] = singular_values(np, eig).tolist()
    start, start_cpu = time.perf_counter(), time.process_time()
    eig = spectrum_streamed(np, stream_path, chunk_rows)
    result["streamedMs"] = (time.perf_counter() - start) * 1000
    result["streamedCpuMs"] = (time.process_time() - start_cpu) * 1000
    result["streamedSingularValues"] = singular_values(np, eig).tolist()
    rng = np.random.default_rng(0)
    a = rng.standard_normal((eig_dim, eig_dim))
    a = a + a.T
    start, start_cpu = time.perf_counter(), time.process_time()
    np.linalg.eigvalsh(a)
    result["eigMs"] = (time.perf_counter() - start) * 1000
    result["eigCpuMs"] = (time.process_time() - start_cpu) * 1000
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
