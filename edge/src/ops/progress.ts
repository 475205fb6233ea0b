/**
 * Progress of a long copy (model packages are hundreds of MB on the appliance's eMMC/NVMe).
 * On a terminal: one bar redrawn in place on stderr. Not a terminal (a log, a script): one line
 * per file, so a technician reading a journal still sees what was going on. --json: nothing.
 */
export interface Progress {
  /** A new file of `bytes` bytes starts copying. */
  file(name: string, bytes: number): void;
  /** `bytes` more were copied (counted across all files). */
  advance(bytes: number): void;
  finish(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const BAR_WIDTH = 28;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One frame of the bar: `[#########...........]  45%  12.0 MiB / 26.7 MiB  model.onnx`. */
export function renderBar(done: number, total: number, label: string): string {
  const fraction = total === 0 ? 1 : Math.min(done / total, 1);
  const filled = Math.round(fraction * BAR_WIDTH);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${percent}%  ${formatBytes(done)} / ${formatBytes(total)}  ${label}`;
}

export const silentProgress: Progress = { file: () => {}, advance: () => {}, finish: () => {} };

export function createProgress(stream: ProgressStream, totalBytes: number, json: boolean): Progress {
  if (json) return silentProgress;
  return stream.isTTY ? barProgress(stream, totalBytes) : lineProgress(stream);
}

function barProgress(stream: ProgressStream, total: number): Progress {
  let done = 0;
  let label = '';
  let shown = -1;
  const draw = (): void => {
    // Redraw only when the bar would change, so a fast disk does not flood the terminal.
    const step = total === 0 ? BAR_WIDTH : Math.floor((done / total) * 200);
    if (step === shown) return;
    shown = step;
    stream.write(`\r${renderBar(done, total, label)}\x1b[K`);
  };
  return {
    file(name) {
      label = name;
      shown = -1;
      draw();
    },
    advance(bytes) {
      done += bytes;
      draw();
    },
    finish() {
      shown = -1;
      draw();
      stream.write('\n');
    },
  };
}

function lineProgress(stream: ProgressStream): Progress {
  return {
    file: (name, bytes) => stream.write(`staging ${name} (${formatBytes(bytes)})\n`),
    advance: () => {},
    finish: () => {},
  };
}
