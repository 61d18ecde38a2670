/**
 * How the plan tells whether the app under test signed in. A web app answers its signed-in URL with 2xx to a
 * signed-in browser. A native app (system browser, loopback redirect) is a command run once per sign-in: it listens
 * on its loopback address, the plan's browser visits its sign-in URL there and signs in, and the command exits 0
 * when it holds a sign-in, anything else when it refused.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserSeat } from './browser-seat.ts';

export interface SignInOutcome {
  signedIn: boolean;
  /** What the app showed or printed holds a stack trace (a file and line of code). */
  stackTrace: boolean;
}

export interface AppUnderTest {
  readonly kind: 'web app' | 'native app';
  /** Why a sign-in it did not hold counts as not signed in, for the messages. */
  readonly notSignedIn: string;
  /** Before a sign-in: a native app is started and waited for; where this sign-in starts. */
  beginSignIn(): Promise<string>;
  /** After the browser's part of a sign-in: whether the app holds it (a native app: its exit code). */
  outcome(seat: BrowserSeat): Promise<SignInOutcome>;
  /** After a sign-in, whatever happened: a native app still running is stopped. */
  endSignIn(): Promise<void>;
}

export const stackTracePattern = /\n\s*at [\w$.<>[\] ]+ \(?[^)\s]+:\d+:\d+\)?|node_modules\//;

export function webApp(signInUrl: string, signedInUrl: string): AppUnderTest {
  return {
    kind: 'web app',
    notSignedIn: `it did not reach --signed-in-url ${signedInUrl}`,
    beginSignIn: async () => signInUrl,
    outcome: async (seat) => ({ signedIn: await seat.answers2xx(signedInUrl), stackTrace: false }),
    endSignIn: async () => {},
  };
}

export class NativeAppFailed extends Error {}

/** The first address the app printed on the loopback origin it listens on (its start address for this sign-in). */
function printedOn(origin: string, output: string): string | null {
  for (const [url] of output.matchAll(/https?:\/\/[^\s'"<>]+/g)) {
    if (URL.canParse(url) && new URL(url).origin === origin) return url;
  }
  return null;
}

/**
 * A native app started for each sign-in. Its sign-in starts at the address it prints on the origin of `signInUrl`
 * (the kit's native app prints a one-time address), or at `signInUrl` itself once that answers with a redirect.
 */
export function nativeApp(command: string, signInUrl: string, timeLimitSeconds: number): AppUnderTest {
  const origin = new URL(signInUrl).origin;
  let running: { child: ChildProcess; exited: Promise<number | null>; output: () => string } | null = null;
  const stop = async () => {
    if (!running) return;
    const { child, exited } = running;
    running = null;
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      // The command may be a shell running the app: its process group is stopped with it.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await exited;
    }
  };
  return {
    kind: 'native app',
    notSignedIn: '--app-command did not exit 0 in time',
    async beginSignIn() {
      await stop();
      const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk;
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        text += chunk;
      });
      const exited = once(child, 'exit').then(([code]) => code as number | null);
      running = { child, exited, output: () => text };
      const deadline = Date.now() + timeLimitSeconds * 1000;
      for (;;) {
        if (child.exitCode !== null) {
          const last = text.trim().split('\n').at(-1) ?? '';
          throw new NativeAppFailed(
            `--app-command exited with ${child.exitCode} before its sign-in URL answered${last ? `: ${last}` : ''}`,
          );
        }
        const printed = printedOn(origin, text);
        if (printed) return printed;
        const redirects = await fetch(signInUrl, { redirect: 'manual' }).then(
          (response) => response.status >= 300 && response.status < 400,
          () => false,
        );
        if (redirects) return signInUrl;
        if (Date.now() > deadline) {
          await stop();
          throw new NativeAppFailed(
            `--app-command printed no address on ${origin}, nor answered at --sign-in-url ${signInUrl}, within ${timeLimitSeconds} s`,
          );
        }
        await sleep(100);
      }
    },
    async outcome() {
      if (!running) return { signedIn: false, stackTrace: false };
      const { exited, output } = running;
      const code = await Promise.race([exited, sleep(timeLimitSeconds * 1000, 'timed out' as const)]);
      await stop();
      return { signedIn: code === 0, stackTrace: stackTracePattern.test(output()) };
    },
    endSignIn: stop,
  };
}
