/** A progress bar on stderr when it is a terminal; a few plain lines otherwise (logs, CI). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const t0 = Date.now();
  let lastPct = -1;
  return (done: number, total: number) => {
    const frac = total > 0 ? done / total : 1;
    const elapsed = (Date.now() - t0) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
    if (stream.isTTY) {
      const width = 30;
      const full = Math.round(frac * width);
      const bar = '█'.repeat(full) + '░'.repeat(width - full);
      stream.write(`\r${label} ${bar} ${done}/${total}  ${elapsed.toFixed(0)}s elapsed${done > 0 && done < total ? `, ~${eta.toFixed(0)}s left` : ''}   `);
      if (done === total) stream.write('\n');
    } else {
      // A line at each quarter passed (0, 25, 50, 75, 100%), showing the share actually done.
      const quarter = Math.floor(frac * 4);
      if (quarter !== lastPct) {
        lastPct = quarter;
        stream.write(`${label}: ${done}/${total} (${Math.round(frac * 100)}%) ${elapsed.toFixed(1)}s\n`);
      }
    }
  };
}
