/**
 * Runs a GitHub Actions workflow of docs/ci/ here, as a runner runs its one job, so a workflow the kit hands out
 * cannot rot unnoticed. Each `run:` step runs as GitHub runs it on Linux (`bash --noprofile --norc -eo pipefail`),
 * in the project folder, with the job's and the step's env, and `${{ vars.* }}`, `${{ secrets.* }}` and
 * `${{ env.* }}` filled in. A failed step skips the rest but those marked `if: always()`. Processes a step leaves
 * running in the background are stopped when the job ends, as the runner's orphan-process clean-up does.
 *
 * What this cannot do is refused rather than passed over: another expression, another `if:`, an action other
 * than checkout (the project folder is the checkout), setup-node (the Node running this, whose major version the
 * workflow must name) and upload-artifact (whose paths are looked for). A line that needs what this machine has
 * not (a browser download, say) runs only through a stand-in the spec names, and a stand-in whose line is gone
 * fails the run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { z } from 'zod';

const envBlock = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const stepShape = z
  .strictObject({
    name: z.string().optional(),
    if: z.literal('always()').optional(),
    uses: z.string().optional(),
    with: envBlock.optional(),
    run: z.string().optional(),
    env: envBlock.optional(),
  })
  .refine(
    (step) => (step.uses === undefined) !== (step.run === undefined),
    'a step has uses or run, not both',
  );
const jobShape = z.strictObject({
  'runs-on': z.literal('ubuntu-latest'),
  'timeout-minutes': z.number(),
  env: envBlock.optional(),
  steps: z.array(stepShape).min(1),
});
const workflowShape = z.strictObject({
  name: z.string(),
  on: z.record(z.string(), z.unknown()),
  permissions: z.record(z.string(), z.string()).optional(),
  concurrency: z.unknown().optional(),
  jobs: z.record(z.string(), jobShape).refine((jobs) => Object.keys(jobs).length === 1, 'one job'),
});
type Step = z.infer<typeof stepShape>;

export interface StandIn {
  /** A whole line of a `run:` step, as the workflow has it (leading spaces aside). */
  line: string;
  /** What runs instead here. */
  instead: string;
  /** Why: what the line needs that this machine has not. */
  why: string;
}

export interface WorkflowSettings {
  /** The project: what actions/checkout would have checked out. */
  folder: string;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** Replaces values of the job's env (each name must be one the job sets): ports, say. */
  jobEnv?: Record<string, string>;
  /** Added to every step's environment, under the workflow's own env. */
  runnerEnv?: Record<string, string>;
  standIns?: StandIn[];
  /** How long one step may take (default 120 s): a step that hangs fails, with what it printed. */
  stepTimeoutMs?: number;
}

export interface StepOutcome {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  output: string;
}

export interface WorkflowOutcome {
  steps: StepOutcome[];
  /** What the steps wrote to $GITHUB_STEP_SUMMARY. */
  summary: string;
  /** Each path an upload-artifact step names, and whether it was there to upload. */
  artifacts: { path: string; found: boolean }[];
}

export async function readWorkflow(file: string) {
  const read = workflowShape.safeParse(parse(await readFile(file, 'utf8')));
  if (!read.success)
    throw new Error(`${file} is not a workflow this runner can run:\n${z.prettifyError(read.error)}`);
  return read.data;
}

/** A step's name as GitHub shows it: its own, or what it uses or runs. */
const stepName = (step: Step) => step.name ?? step.uses ?? `Run ${step.run?.split('\n')[0]}`;

/**
 * Fills in the expressions a workflow may use. A variable, secret or env value that is not set is empty, as on
 * GitHub; any other expression is an error here, not an empty string.
 */
function expand(text: string, context: Record<'vars' | 'secrets' | 'env', Record<string, string>>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (whole, expression: string) => {
    const [, scope, name] = /^(vars|secrets|env)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression) ?? [];
    if (!scope || !name) throw new Error(`the workflow uses ${whole}, which this runner does not evaluate`);
    return context[scope as 'vars' | 'secrets' | 'env'][name] ?? '';
  });
}

const expandBlock = (
  block: Record<string, string | number | boolean> | undefined,
  context: Parameters<typeof expand>[1],
) =>
  Object.fromEntries(
    Object.entries(block ?? {}).map(([name, value]) => [name, expand(String(value), context)]),
  );

/** The PATH a fresh runner has: without any node_modules/.bin, so `npx` finds only what the workflow installed. */
const runnerPath = () =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes('node_modules'))
    .join(delimiter);

const standInFor = (line: string, standIns: StandIn[]) =>
  standIns.find((candidate) => candidate.line === line.trim());

function withStandIns(script: string, standIns: StandIn[]): string {
  return script
    .split('\n')
    .map((line) => {
      const standIn = standInFor(line, standIns);
      return standIn ? `${standIn.instead}  # stand-in: ${standIn.why}` : line;
    })
    .join('\n');
}

/** One step's shell: how it exited, what it printed, and its process group (what it left running is in it). */
async function runBash(script: string, cwd: string, env: Record<string, string>, timeoutMs: number) {
  const file = join(
    env.RUNNER_TEMP as string,
    `step-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`,
  );
  await writeFile(file, script);
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const processGroup = child.pid as number;
  const timer = setTimeout(() => {
    output += `\n(the step was stopped after ${timeoutMs / 1000} s)\n`;
    signalGroup(processGroup, 'SIGKILL');
  }, timeoutMs);
  // 'exit', not 'close': a background process may hold the pipes open after the step itself ended.
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  clearTimeout(timer);
  return { exitCode, output, processGroup };
}

/** Signals a process group; false when none of it is left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

/** The runner's clean-up: every process a step left behind gets SIGTERM, and SIGKILL after five seconds. */
async function stopLeftovers(groups: number[]): Promise<void> {
  const alive = groups.filter((group) => signalGroup(group, 'SIGTERM'));
  for (let waited = 0; waited < 5_000 && alive.some((group) => signalGroup(group, 0)); waited += 100)
    await sleep(100);
  for (const group of alive) signalGroup(group, 'SIGKILL');
}

function runAction(step: Step, folder: string, artifacts: WorkflowOutcome['artifacts']): string {
  const [action] = (step.uses as string).split('@');
  switch (action) {
    case 'actions/checkout':
      return `the project is ${folder}`;
    case 'actions/setup-node': {
      const wanted = String(step.with?.['node-version'] ?? '');
      const running = process.versions.node.split('.')[0];
      if (wanted !== running)
        throw new Error(`the workflow sets up Node ${wanted}; this runs on Node ${running}`);
      return `Node ${process.versions.node}`;
    }
    case 'actions/upload-artifact': {
      const paths = String(step.with?.path ?? '')
        .split('\n')
        .map((path) => path.trim())
        .filter(Boolean);
      for (const path of paths) artifacts.push({ path, found: existsSync(join(folder, path)) });
      return `would upload ${paths.join(', ')}`;
    }
    default:
      throw new Error(`the workflow uses ${step.uses}, which this runner cannot stand in for`);
  }
}

export async function runWorkflow(file: string, settings: WorkflowSettings): Promise<WorkflowOutcome> {
  const workflow = await readWorkflow(file);
  const [job] = Object.values(workflow.jobs);
  if (!job) throw new Error(`${file} has no job`);
  const runnerTemp = await mkdtemp(join(tmpdir(), 'workflow-runner-'));
  const summaryFile = join(runnerTemp, 'step-summary.md');
  await writeFile(summaryFile, '');
  const context = {
    vars: settings.vars ?? {},
    secrets: settings.secrets ?? {},
    env: {} as Record<string, string>,
  };
  const jobEnv = expandBlock(job.env, context);
  for (const [name, value] of Object.entries(settings.jobEnv ?? {})) {
    if (!(name in jobEnv)) throw new Error(`the workflow's job sets no ${name} to replace`);
    jobEnv[name] = value;
  }
  context.env = jobEnv;
  const standIns = settings.standIns ?? [];
  const lines = job.steps.flatMap((step) => step.run?.split('\n') ?? []);
  const gone = standIns.filter((standIn) => !lines.some((line) => standInFor(line, [standIn])));
  if (gone.length > 0)
    throw new Error(
      `the workflow no longer has the line(s) stood in for: ${gone.map((s) => s.line).join('; ')}`,
    );
  const outcome: WorkflowOutcome = { steps: [], summary: '', artifacts: [] };
  const leftovers: number[] = [];
  let failed = false;
  try {
    for (const step of job.steps) {
      if (failed && step.if !== 'always()') {
        outcome.steps.push({ name: stepName(step), outcome: 'skipped', output: '' });
        continue;
      }
      if (step.uses) {
        outcome.steps.push({
          name: stepName(step),
          outcome: 'success',
          output: runAction(step, settings.folder, outcome.artifacts),
        });
        continue;
      }
      const env = {
        PATH: runnerPath(),
        HOME: process.env.HOME ?? runnerTemp,
        LANG: 'C.UTF-8',
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: settings.folder,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: runnerTemp,
        ...settings.runnerEnv,
        ...jobEnv,
        ...expandBlock(step.env, context),
      };
      const script = expand(withStandIns(step.run as string, standIns), context);
      const shell = await runBash(script, settings.folder, env, settings.stepTimeoutMs ?? 120_000);
      leftovers.push(shell.processGroup);
      const passed = shell.exitCode === 0;
      outcome.steps.push({
        name: stepName(step),
        outcome: passed ? 'success' : 'failure',
        output: shell.output,
      });
      failed ||= !passed;
    }
    outcome.summary = await readFile(summaryFile, 'utf8');
    return outcome;
  } finally {
    await stopLeftovers(leftovers);
    await rm(runnerTemp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}
