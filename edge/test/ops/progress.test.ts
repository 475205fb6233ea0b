import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes, renderBar } from '../../src/ops/index.js';

function stream(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } {
  return { isTTY, text: '', write(t) { this.text += t; } };
}

describe('model copy progress', () => {
  it.each([
    [0, 1000, '[............................]   0%'],
    [500, 1000, '[##############..............]  50%'],
    [1000, 1000, '[############################] 100%'],
    [0, 0, '[############################] 100%'],
  ])('draws %i of %i bytes as %s', (done, total, start) => {
    expect(renderBar(done, total, 'model.onnx').startsWith(start)).toBe(true);
  });

  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [256 * 1024 * 1024, '256.0 MiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('redraws one bar in place on a terminal, only when it changes, and ends the line', () => {
    const tty = stream(true);
    const progress = createProgress(tty, 4 * 1024 * 1024, false);
    progress.file('model.onnx', 4 * 1024 * 1024);
    for (let i = 0; i < 4096; i += 1) progress.advance(1024);
    progress.finish();
    const frames = tty.text.split('\r').filter(Boolean);
    expect(frames.length).toBeLessThanOrEqual(203);
    expect(frames.at(-1)).toBe(`${renderBar(4 * 1024 * 1024, 4 * 1024 * 1024, 'model.onnx')}\u001b[K\n`);
    expect(frames.at(-1)).toMatch(/^\[#{28}\] 100% {2}4\.0 MiB \/ 4\.0 MiB {2}model\.onnx/);
  });

  it('writes one plain line per file when stderr is not a terminal, and nothing at all for --json', () => {
    const log = stream(false);
    const progress = createProgress(log, 10, false);
    progress.file('a.bin', 2048);
    progress.advance(2048);
    progress.finish();
    expect(log.text).toBe('staging a.bin (2.0 KiB)\n');
    const json = stream(true);
    const silent = createProgress(json, 10, true);
    silent.file('a.bin', 10);
    silent.advance(10);
    silent.finish();
    expect(json.text).toBe('');
  });
});
