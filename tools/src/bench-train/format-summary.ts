/**
 * The benchmark's report lines; the last one is machine-readable and fixed:
 * `train throughput: siamwatch <x> img/s, pytorch <y> img/s, ratio <r>` with r = siamwatch / pytorch
 * (`n/a` for the PyTorch figures when no torch was found).
 */

/** Formats images/s with one decimal. */
export function formatRate(imagesPerSecond: number): string {
  return imagesPerSecond.toFixed(1);
}

/** The final line; `pytorch` null when PyTorch was not measured. */
export function throughputLine(siamwatch: number, pytorch: number | null): string {
  if (pytorch === null) {
    return `train throughput: siamwatch ${formatRate(siamwatch)} img/s, pytorch n/a img/s, ratio n/a`;
  }
  const ratio = pytorch > 0 ? (siamwatch / pytorch).toFixed(3) : 'n/a';
  return `train throughput: siamwatch ${formatRate(siamwatch)} img/s, pytorch ${formatRate(pytorch)} img/s, ratio ${ratio}`;
}

/** The memory line: tfjs tensors and RSS after warm-up and after the timed steps. */
export function memoryLine(m: { tensorsBefore: number; tensorsAfter: number; rssBeforeMb: number; rssAfterMb: number }): string {
  const flat = m.tensorsBefore === m.tensorsAfter ? 'flat' : 'GROWING';
  return (
    `siamwatch memory: tfjs tensors ${m.tensorsBefore} -> ${m.tensorsAfter} (${flat}), ` +
    `RSS ${m.rssBeforeMb.toFixed(0)} MB -> ${m.rssAfterMb.toFixed(0)} MB`
  );
}

/** The per-kernel breakdown as aligned lines (top `limit` kernels by time). */
export function kernelLines(kernels: { name: string; ms: number; calls: number }[], limit = 12): string[] {
  const total = kernels.reduce((s, k) => s + k.ms, 0);
  return kernels
    .slice(0, limit)
    .map((k) => `  ${k.name.padEnd(22)} ${k.ms.toFixed(0).padStart(6)} ms  ${((100 * k.ms) / Math.max(total, 1e-9)).toFixed(1).padStart(5)}%  ${k.calls} calls`);
}
