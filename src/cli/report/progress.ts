import cliProgress from "cli-progress";

/** Where the upload tells how far it got: a bar at a terminal, a few plain lines in CI. */
export interface Progress {
  start(total: number): void;
  advance(sent: number): void;
  /** A notice (retry, skipped attachment) that must not garble the bar. */
  note(message: string): void;
  stop(): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: "sending [{bar}] {percentage}% | {value}/{total} results | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | null = null;
  // Ctrl-C mid-upload: give the terminal its cursor back (results sent so far are kept; re-run to finish).
  const interrupted = () => {
    multi.stop();
    process.exit(130);
  };
  return {
    start(total) {
      process.once("SIGINT", interrupted);
      bar = multi.create(total, 0);
    },
    advance(sent) {
      bar?.increment(sent);
    },
    note(message) {
      if (bar) multi.log(`${message}\n`);
      else stream.write(`${message}\n`);
    },
    stop() {
      process.off("SIGINT", interrupted);
      multi.stop();
    },
  };
}

/**
 * For logs: one line when sending starts, then one per tenth of the way (or every 10 s, whichever comes
 * first), then the end; a million results make a dozen lines, not five thousand.
 */
export function plainProgress(
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  now = Date.now,
): Progress {
  let total = 0;
  let done = 0;
  let lastStep = 0;
  let lastAt = 0;
  return {
    start(t) {
      total = t;
      lastAt = now();
      write(`sending ${t} results`);
    },
    advance(sent) {
      done += sent;
      const step = total > 0 ? Math.floor((done * 10) / total) : 10;
      if (done >= total || step > lastStep || now() - lastAt >= 10_000) {
        lastStep = step;
        lastAt = now();
        write(`sent ${done}/${total} results (${total > 0 ? Math.floor((done * 100) / total) : 100}%)`);
      }
    },
    note: write,
    stop() {},
  };
}
