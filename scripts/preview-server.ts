/**
 * `vite preview` for the scripts that drive the built page in Chromium (`bench:ui`,
 * `screenshots`): started in its own process group, so that stopping it also stops the vite
 * under npx, with the cross-origin isolation headers of vite.config.ts (WASM threads).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Where and what to serve. */
export interface PreviewOptions {
  /** The repository root (where vite.config.ts is). */
  root: string;
  /** The TCP port; it must be free. */
  port: number;
  /** The built app's folder, relative to `root` (vite's default `dist` when absent). */
  outDir?: string;
  /** How long to wait for the first answer, in ms (default 60 000). */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether something accepts connections on `host`:`port`. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (yes: boolean) => {
      socket.destroy();
      resolve(yes);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(2_000, () => done(false));
  });
}

/**
 * Starts `vite preview` and resolves once it serves `http://localhost:<port>/`. Throws, with
 * vite's own output, when the port is taken, when vite exits first or when it does not answer
 * in time (the server is stopped then).
 */
export async function startPreview(opts: PreviewOptions): Promise<ChildProcess> {
  const { root, port, outDir, timeoutMs = 60_000 } = opts;
  const base = `http://localhost:${port}/`;
  for (const host of ['127.0.0.1', '::1'])
    if (await listening(host, port))
      throw new Error(
        `port ${port} is already in use (on ${host}): stop whatever serves it, then run again`,
      );
  const args = ['vite', 'preview', '--port', String(port), '--strictPort'];
  if (outDir !== undefined) args.push('--outDir', outDir);
  const child = spawn('npx', args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new Error(
        `vite preview exited (code ${exited}) before serving on port ${port}:\n${output.trim()}`,
      );
    try {
      // Ready once vite says where it serves and the page answers.
      if (output.includes(`:${port}`) && (await fetch(base)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  stopPreview(child);
  throw new Error(
    `vite preview did not answer on ${base} within ${timeoutMs / 1000} s:\n${output.trim()}`,
  );
}

/** Kills the preview server's whole process group (npx and the vite under it); idempotent. */
export function stopPreview(child: ChildProcess | null): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
