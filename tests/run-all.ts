/**
 * `npm test`: builds the PWA, then runs every runner — vitest (unit, relay, mesh) and Playwright
 * (browser) — and ends with each step's time and one line `N passed, N failed` summing them all. The
 * OpenSpec check (every spec and every change folder valid in strict mode) counts as one test. Type
 * checking runs beside everything and the mesh tests beside the relay step (see `beside`): the budget
 * is 20 minutes on 2 cores.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAILURE_NOTES_ENV, readFailureNotes } from './helpers/failure-notes.ts';
import { ROOT } from './helpers/relay-process.ts';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** The failed tests' names: printed just above the last line, since CI may keep only the end of the output. */
  failures?: string[];
}

const out = mkdtempSync(path.join(os.tmpdir(), 'spm-test-'));
// Where failed tests leave a few lines on why (tests/helpers/failure-notes.ts), printed at the very end.
const notes = path.join(out, 'failure-notes');
mkdirSync(notes);
process.env[FAILURE_NOTES_ENV] = notes;
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);

/** CPU seconds (user + system) of this process's finished children, from /proc; 0 where there is none. */
function childCpuSeconds(): number {
  try {
    // Fields after the command name: cutime and cstime are the 14th and 15th (clock ticks, 100 per second on Linux).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

/** Wall and CPU time of each step, printed at the end: the suite has a 20-minute budget on 2 cores. */
const timings: string[] = [];

function run(cmd: string, args: string[], env: Record<string, string> = {}, note = ''): number {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const cpu = childCpuSeconds();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  timings.push(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')}: ${Math.round((Date.now() - started) / 1000)} s wall, ${Math.round(childCpuSeconds() - cpu)} s CPU${note}`);
  return r.status ?? 1;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ fullName: string; status: string; duration?: number; failureMessages?: string[] }> }>;
}

/**
 * The first lines of a failure's message, without colour codes: printed under its name at the very end,
 * since CI may keep only the end of the output, and a name alone does not say why a test failed there.
 */
function why(message: string | undefined, durationMs?: number): string {
  // vitest reports a test that ran into its time limit by the stack it kept from where the test was
  // declared, whose first line is only "Error: STACK_TRACE_ERROR" (@vitest/runner's makeTimeoutError).
  const timedOut = message?.startsWith('Error: STACK_TRACE_ERROR') ? [`timed out at its limit${durationMs ? ` after ${Math.round(durationMs / 1000)} s` : ''}: something it awaited never ended`] : [];
  const plain = timedOut.length ? timedOut : (message ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return plain.length === 0 ? '' : `\n    why: ${plain.slice(0, 3).join(' | ').slice(0, 400)}`;
}

function vitestTally(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: [`no report at ${file}`] };
  const j = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
  const failures = j.testResults.flatMap((f) => {
    const where = path.relative(ROOT, f.name);
    const tests = f.assertionResults.filter((t) => t.status === 'failed').map((t) => `${where} › ${t.fullName}${why(t.failureMessages?.[0], t.duration)}`);
    // A file that fails to load (or whose hook fails) has no failed test but is a failure all the same.
    return tests.length === 0 && f.status === 'failed' ? [`${where}: ${(f.message ?? 'failed').split('\n')[0]}`] : tests;
  });
  return { passed: j.numPassedTests, failed: j.numFailedTests + (j.numFailedTests === 0 ? j.numFailedTestSuites : 0), skipped: j.numPendingTests + j.numTodoTests, failures };
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: Array<{ title: string; ok: boolean; file: string; tests?: Array<{ results?: Array<{ error?: { message?: string } }> }> }>;
  suites?: PlaywrightSuite[];
}

function playwrightTally(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: [`no report at ${file}`] };
  const j = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; suites: PlaywrightSuite[] };
  const failed = (suite: PlaywrightSuite): string[] => [
    ...(suite.specs ?? []).filter((s) => !s.ok).map((s) => `tests/e2e/${s.file} › ${s.title}${why(s.tests?.flatMap((t) => t.results ?? []).find((r) => r.error)?.error?.message)}`),
    ...(suite.suites ?? []).flatMap(failed),
  ];
  const s = j.stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped, failures: j.suites.flatMap(failed) };
}

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const tallies: Array<[string, Tally]> = [];

/**
 * A step run beside the others rather than after them, where the steps it joins leave a core idle: its
 * output goes to a file (a pipe would stall it while this process waits on a synchronous step) and is
 * printed when it is awaited; the shell times it, since this process's event loop is blocked meanwhile.
 */
function beside(name: string, command: string): () => Promise<number> {
  const log = path.join(out, `${name}.log`);
  const fd = openSync(log, 'w');
  const timed = `started=$(date +%s); ${command}; rc=$?; echo "${name}: $(( $(date +%s) - started )) s wall"; exit $rc`;
  const child = spawn('bash', ['-c', timed], { cwd: ROOT, stdio: ['ignore', fd, fd] });
  const done = new Promise<number>((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
  return async () => {
    const code = await done;
    closeSync(fd);
    const text = readFileSync(log, 'utf8');
    console.log(`\n$ ${command} (ran beside the other steps)\n${text}`);
    timings.push(`${new RegExp(`${name}: \\d+ s wall`).exec(text)?.[0] ?? `${name}: no time printed`} (beside the other steps)`);
    return code;
  };
}

/** The vitest projects a step runs: unit files that mock a module run in a project of their own (vitest.config.ts). */
const projectsOf = (step: string) => (step === 'unit' ? ['unit', 'unit-mocked'] : [step]).flatMap((p) => ['--project', p]);
const vitestArgs = (project: string, file: string) => ['run', ...projectsOf(project), '--reporter=default', '--reporter=json', `--outputFile.json=${file}`, '--passWithNoTests'];

// Types (strict TypeScript and the Svelte components: svelte-check checks every .ts file of tsconfig.json
// too, so a separate tsc pass would do the same work twice) are checked beside the tests: one single-threaded
// step in the gaps the test workers leave on two cores. A type error counts as a failure.
const typecheck = only.length === 0 ? beside('typecheck', 'npm run --silent typecheck') : async () => 0;
// Specs and change folders must validate: a requirement without a scenario is a claim nothing proves.
// The CLI would otherwise send telemetry and ask the npm registry for updates: tests stay on this machine.
if (want('openspec')) {
  const ok = run(bin('openspec'), ['validate', '--all', '--strict', '--no-interactive'], { OPENSPEC_TELEMETRY: '0', DO_NOT_TRACK: '1', OPENSPEC_NO_UPDATE_CHECK: '1' }) === 0;
  tallies.push(['openspec', { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 }]);
}
// Built as `npm run build` builds it: with the compressed copies and the wasm's xz copy the relay serves,
// so the browser scenarios meet the app as phones get it (tests/e2e/plain-http.spec.ts needs the xz copy).
// Not beside the unit step: tried in run 90, the unit step then took 180 s where the two took 178 s in a
// row (both use every core).
if (want('e2e') && (run(bin('vite'), ['build', '--logLevel', 'warn']) !== 0 || run(process.execPath, ['--import', 'tsx', 'scripts/compress.ts']) !== 0)) {
  tallies.push(['build', { passed: 0, failed: 1, skipped: 0 }]);
}
// One step after another, with the mesh files beside the relay step. Side by side from the start
// (run 27 and stop 27) saved only 10 % on CI — 1,343 s against 1,488 s — because every step there is
// CPU-bound (held to CI's speed, 0.85 of this machine's cores, both orders took 23 minutes: runs 28 and
// 29), and scenarios ran 4–6 times their quiet time, past their limits: CI failed five browser
// scenarios and the mesh islands. The mesh files never run beside the browser step: each builds veth
// links and routes in this machine's own network namespace, and Chromium then fails every request in
// flight with ERR_NETWORK_CHANGED, loopback included (run 30: a phone's app code never loaded). The
// relay step's tests run no browser.
const meshFile = path.join(out, 'mesh.json');
let mesh: (() => Promise<number>) | undefined;
for (const project of ['unit', 'relay']) {
  if (project === 'relay' && want('mesh')) mesh = beside('mesh', [bin('vitest'), ...vitestArgs('mesh', meshFile)].join(' '));
  if (!want(project)) continue;
  const file = path.join(out, `${project}.json`);
  run(bin('vitest'), vitestArgs(project, file));
  tallies.push([project, vitestTally(file)]);
}
if (mesh) {
  await mesh();
  tallies.push(['mesh', vitestTally(meshFile)]);
}
if (want('e2e')) {
  const file = path.join(out, 'e2e.json');
  // Playwright ends each browser with SIGKILL, so the CPU of Chromium's renderers is not counted: a cgroup
  // measured 538 s for the whole step on a quiet machine where this line said 276 s.
  run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file }, ' (not counting Chromium renderers)');
  tallies.push(['e2e', playwrightTally(file)]);
}
if ((await typecheck()) !== 0) tallies.push(['typecheck', { passed: 0, failed: 1, skipped: 0 }]);
const failureNotes = readFailureNotes(notes);
rmSync(out, { recursive: true, force: true });

const total = tallies.reduce((a, [, t]) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed, skipped: a.skipped + t.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log('');
for (const line of timings) console.log(line);
console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.availableParallelism()} cores)`);
console.log('');
for (const [name, t] of tallies) console.log(`${name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
for (const [name, t] of tallies) for (const failure of t.failures ?? []) console.log(`failed (${name}): ${failure}`);
for (const note of failureNotes) console.log(note);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 ? 1 : 0);
