// A progress bar on stderr for long work (never on stdout, which carries --json output).
// Silent when stderr is not a TTY unless forced; throttled to ~10 redraws per second.

export interface Progress {
  /** done/total in the caller's units (jets, steps, bytes); `info` is shown after the bar. */
  update(done: number, total: number, info?: string): void;
  done(info?: string): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream | NodeJS.WritableStream = process.stderr, force = false): Progress {
  const tty = force || Boolean((stream as NodeJS.WriteStream).isTTY);
  const start = Date.now();
  let last = 0;
  const render = (done: number, total: number, info = '') => {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 28;
    const filled = Math.round(frac * width);
    const elapsed = (Date.now() - start) / 1000;
    const eta = frac > 0 && frac < 1 ? ` ETA ${formatSeconds((elapsed / frac) * (1 - frac))}` : '';
    return `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * frac).toFixed(0).padStart(3)}%${eta} ${info}`.slice(0, 160);
  };
  return {
    update(done, total, info) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      stream.write(render(done, total, info) + '\x1b[K');
    },
    done(info) {
      if (!tty) return;
      stream.write(render(1, 1, info ?? `${formatSeconds((Date.now() - start) / 1000)}`) + '\x1b[K\n');
    },
  };
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}
