// End-to-end test of the desktop app's renderer in Debian's Chromium against a real `ebm-hep serve` (real engine,
// tiny preset): import, train and watch curves, compare runs, move the anomaly cut, generate, export PNG/SVG/PDF/CSV.
// Run: `npm run test:e2e` (node --import tsx test/e2e/app.e2e.ts). Prints "N passed, N failed"; exit 1 on failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { DatasetInfo, DatasetSummary } from '../../src-main/api/types.ts';
import { readPngInfo } from '../../renderer/export/png.ts';
import { toDensity } from '../../renderer/charts/histograms.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const outDir = join(root, 'test-results', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SUITE_TIMEOUT_MS = 15 * 60_000;

interface Result {
  name: string;
  ok: boolean;
  seconds: number;
  error?: string;
}
const results: Result[] = [];
let page: Page;

function log(msg: string): void {
  process.stdout.write(`[e2e] ${msg}\n`);
}

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

async function step(name: string, fn: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  log(`▶ ${name}`);
  try {
    await fn();
    results.push({ name, ok: true, seconds: (Date.now() - t0) / 1000 });
    log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (err) {
    const error = err instanceof Error ? err.message.split('\n').slice(0, 6).join('\n') : String(err);
    results.push({ name, ok: false, seconds: (Date.now() - t0) / 1000, error });
    log(`✗ ${name}: ${error}`);
    await page?.screenshot({ path: join(outDir, `FAILED-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
    return false;
  }
}

/** Builds the renderer when dist/renderer is missing or older than any renderer source. */
function ensureRendererBuilt(): void {
  const index = join(root, 'dist', 'renderer', 'index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'renderer'))) return;
  log('building the renderer (dist/renderer is missing or stale)…');
  const r = spawnSync(process.execPath, [join(root, 'build', 'build-renderer.mjs')], { cwd: root, stdio: 'inherit' });
  assert(r.status === 0, 'renderer build failed');
}

/** Starts `ebm-hep serve --port 0 --db <tmp>` and resolves to the session URL it prints. */
function startServer(home: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'ebm-hep.mjs'), 'serve', '--port', '0', '--db', join(home, 'db.sqlite')], {
      cwd: root,
      env: { ...process.env, EBM_HEP_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`ebm-hep serve printed no URL within 60 s\nstdout: ${out}\nstderr: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-zA-Z_-]+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl({ url: m[0], child });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ebm-hep serve exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** Calls the EngineApi over the same web transport the page uses (for checking plotted numbers). */
async function api<T>(sessionUrl: string, method: string, req: unknown = {}): Promise<T> {
  const u = new URL(sessionUrl);
  const res = await fetch(`${u.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${u.searchParams.get('token')}` },
    body: JSON.stringify(req),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value as T;
}

async function view(id: string): Promise<Locator> {
  await page.locator(`nav button[data-view="${id}"]`).click();
  const panel = page.locator(`[data-view-panel="${id}"]`);
  await panel.waitFor({ state: 'visible' });
  return panel;
}

async function shot(name: string): Promise<string> {
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Clicks an export button and returns the downloaded file's path and name. */
async function download(button: Locator, dir: string): Promise<{ path: string; name: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button.click()]);
  const name = dl.suggestedFilename();
  const path = join(dir, name);
  await dl.saveAs(path);
  return { path, name };
}

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

async function waitForText(loc: Locator, pred: (t: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    last = (await loc.textContent().catch(() => '')) ?? '';
    if (pred(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: "${last.trim().slice(0, 120)}")`);
}

/** Sets a hyper-parameter in the Train form (only if the preset exposes it). */
async function setParam(key: string, value: string): Promise<void> {
  const input = page.locator(`[data-view-panel="train"] [data-param="${key}"]`);
  if ((await input.count()) === 0) return;
  await page.locator('[data-view-panel="train"] summary', { hasText: /./ }).evaluateAll((els) => els.forEach((e) => ((e as unknown as { parentElement: { open: boolean } }).parentElement.open = true)));
  await input.fill(value);
}

async function trainRun(name: string, extra: Record<string, string>): Promise<void> {
  const panel = await view('train');
  await panel.locator('[data-testid="preset"]').selectOption('tiny');
  await panel.locator('[data-testid="run-name"]').fill(name);
  const params: Record<string, string> = { epochs: '2', maxTrainJets: '600', 'validation.jets': '150', 'validation.steps': '16', ...extra };
  for (const [k, v] of Object.entries(params)) await setParam(k, v);
  await panel.locator('[data-testid="start-training"]').click();
  await waitForText(panel.locator('[data-testid="watched-run"]'), (t) => t.includes(name), 20_000, `run ${name} to be watched`);
}

async function main(): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'ebm-e2e-'));
  const downloads = join(outDir, 'downloads');
  mkdirSync(downloads, { recursive: true });
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const watchdog = setTimeout(() => {
    log(`suite timeout (${SUITE_TIMEOUT_MS / 60000} min): aborting`);
    server?.kill('SIGKILL');
    process.exit(1);
  }, SUITE_TIMEOUT_MS);
  try {
    assert(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    ensureRendererBuilt();
    const started = await startServer(home);
    server = started.child;
    const url = started.url;
    log(`server at ${new URL(url).origin}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('favicon') && !m.text().includes('404')) pageErrors.push(m.text());
    });

    await step('app loads with the session token and connects to the engine', async () => {
      await page.goto(url);
      await page.locator('[data-testid="job-status"]').waitFor({ timeout: 30_000 });
      const noToken = await browser!.newPage();
      const res = await noToken.goto(new URL(url).origin + '/');
      assert(res?.status() === 401, `the app without its token answered ${res?.status()}, expected 401`);
      await noToken.close();
    });

    await step('Data: embedded sample on first start, format shown, per-label plots', async () => {
      const panel = await view('data');
      await waitForText(panel.locator('[data-testid="dataset-table"]'), (t) => t.includes('sample-qcd') && t.includes('sample-top'), 60_000, 'the embedded sample');
      await waitForText(panel.locator('[data-testid="dataset-format"]'), (t) => /hdf5|root|npz|npy|csv/i.test(t), 20_000, 'the detected format');
      await panel.locator('[data-plot="data-massGeV"] canvas').first().waitFor({ timeout: 20_000 });
    });

    await step('Data: import a file by path with a progress bar', async () => {
      const panel = await view('data');
      const sample = join(root, 'resources', 'sample');
      const file = readdirSync(sample).find((f) => /top.*\.(h5|hdf5)$/.test(f)) ?? readdirSync(sample).find((f) => /\.(h5|hdf5|npz|csv)$/.test(f));
      assert(file, 'no sample file to import');
      await panel.locator('[data-testid="import-path"]').fill(join(sample, file));
      await panel.locator('[data-testid="import-button"]').click();
      await page.locator('[data-testid="notice"]').filter({ hasText: /Imported|already|import/i }).first().waitFor({ timeout: 60_000 });
      await shot('data');
    });

    let firstOk = false;
    await step('Train: a tiny EBM on QCD, loss curve updates live, run finishes', async () => {
      await trainRun('e2e-ebm-a', {});
      const panel = page.locator('[data-view-panel="train"]');
      const steps = panel.locator('[data-testid="live-steps"]');
      const status = panel.locator('[data-testid="run-status"]');
      const failEarly = async () => {
        const st = ((await status.textContent()) ?? '').trim();
        if (/failed|interrupted/.test(st)) throw new Error(`run ${st}: ${await panel.locator('.card .small.muted').first().textContent()}`);
      };
      const t0 = Date.now();
      while (parseInt((await steps.textContent()) ?? '0') <= 0) {
        await failEarly();
        assert(Date.now() - t0 < 120_000, 'no training step within 120 s');
        await page.waitForTimeout(250);
      }
      const first = parseInt((await steps.textContent())!);
      await panel.locator('[data-plot="train-loss"] canvas').first().waitFor({ timeout: 10_000 });
      await waitForText(steps, (t) => parseInt(t) > first, 120_000, 'the loss curve to grow');
      await waitForText(panel.locator('[data-testid="run-status"]'), (t) => /done|failed|interrupted|stopped/.test(t), 300_000, 'the run to finish');
      const ended = (await status.textContent())!.trim();
      await shot('train');
      assert(ended === 'done', `run ended ${ended}`);
      firstOk = true;
    });

    await step('Train: a second tiny EBM with a different Langevin step count', async () => {
      assert(firstOk, 'needs the first run');
      await trainRun('e2e-ebm-b', { 'langevin.steps': '4' });
      const panel = page.locator('[data-view-panel="train"]');
      await waitForText(panel.locator('[data-testid="run-status"]'), (t) => /done|failed|interrupted|stopped/.test(t), 300_000, 'the second run to finish');
      assert((await panel.locator('[data-testid="run-status"]').textContent())!.trim() === 'done', 'second run did not finish');
    });

    await step('Train: stop a run mid-training and resume it from its checkpoint', async () => {
      assert(firstOk, 'needs a working trainer');
      await trainRun('e2e-stop-resume', { epochs: '30' });
      const panel = page.locator('[data-view-panel="train"]');
      const status = panel.locator('[data-testid="run-status"]');
      const steps = panel.locator('[data-testid="live-steps"]');
      await waitForText(steps, (t) => parseInt(t) > 0, 120_000, 'the first steps');
      await panel.locator('[data-testid="stop-training"]').click();
      await waitForText(status, (t) => t.trim() === 'stopped', 60_000, 'the run to stop');
      const atStop = parseInt((await steps.textContent())!);
      await panel.locator('[data-testid="resume-training"]').click();
      await waitForText(status, (t) => /running|queued/.test(t), 30_000, 'the run to resume');
      await waitForText(steps, (t) => parseInt(t) > atStop, 120_000, 'new steps after resuming');
      await panel.locator('[data-testid="stop-training"]').click();
      await waitForText(status, (t) => t.trim() === 'stopped', 60_000, 'the run to stop again');
    });

    await step('Runs: compare two runs (overlaid curves, config diff, metrics)', async () => {
      const panel = await view('runs');
      await panel.locator('[data-select="e2e-ebm-a"]').waitFor({ timeout: 20_000 });
      await panel.locator('[data-select="e2e-ebm-a"]').check();
      await panel.locator('[data-select="e2e-ebm-b"]').check();
      await panel.locator('[data-testid="compare-runs"]').click();
      const diff = await waitForText(panel.locator('[data-testid="config-diff"]'), (t) => t.includes('steps'), 20_000, 'the config diff');
      assert(!diff.includes('model.dModel'), 'config diff shows keys that do not differ');
      await panel.locator('[data-plot="runs-compare"] canvas').first().waitFor({ timeout: 20_000 });
      await shot('runs');
    });

    await step('Runs: rename, tag, note, search the notes, delete with confirmation', async () => {
      const panel = await view('runs');
      const row = panel.locator('tr[data-run="e2e-stop-resume"]');
      await row.waitFor({ timeout: 20_000 });
      await row.locator('td').nth(1).click();
      const rename = panel.locator('[data-testid="rename-input"]');
      await rename.fill('e2e-renamed');
      await rename.press('Enter');
      const renamed = panel.locator('tr[data-run="e2e-renamed"]');
      await renamed.waitFor({ timeout: 10_000 });
      await renamed.locator('td').nth(2).click();
      await panel.locator('[data-testid="tags-input"]').fill('smoke, e2e');
      await panel.locator('button', { hasText: 'Save tags' }).click();
      await panel.locator('[data-testid="notes-input"]').fill('stopped and resumed by the e2e suite');
      await panel.locator('button', { hasText: 'Save notes' }).click();
      await waitForText(renamed, (t) => t.includes('smoke'), 10_000, 'the tags in the table');
      await panel.locator('[data-testid="run-search"]').fill('resumed by the e2e');
      await waitForText(panel.locator('[data-testid="runs-table"] tbody'), (t) => t.includes('e2e-renamed') && !t.includes('e2e-ebm-a'), 10_000, 'the notes search to filter');
      await panel.locator('[data-testid="run-search"]').fill('');
      page.once('dialog', (d) => void d.accept());
      await panel.locator('[data-testid="delete-run"]').click();
      await renamed.waitFor({ state: 'detached', timeout: 20_000 });
      const left = await api<{ name: string }[]>(url, 'listRuns');
      assert(!left.some((r) => r.name === 'e2e-renamed'), 'the deleted run is still in the store');
    });

    let cutCsvBefore = '';
    await step('Anomaly: evaluate, ROC/AUC table, energy-cut slider updates ε and the mass histogram', async () => {
      const panel = await view('anomaly');
      const runSelect = panel.locator('[data-testid="anomaly-run-0"]');
      await runSelect.locator('option', { hasText: 'e2e-ebm-a' }).waitFor({ state: 'attached', timeout: 20_000 });
      await runSelect.selectOption({ label: (await runSelect.locator('option', { hasText: 'e2e-ebm-a' }).textContent())!.trim() });
      await panel.locator('[data-testid="evaluate-0"]').click();
      await waitForText(panel.locator('[data-testid="metrics-0"]'), (t) => /\d\.\d/.test(t), 180_000, 'AUC/R30/R50');
      await panel.locator('[data-plot="an0-roc"] canvas').first().waitFor({ timeout: 20_000 });
      const epsB = panel.locator('[data-testid="cut-values-0"] [data-testid="eps-b"]');
      const before = Number(await waitForText(epsB, (t) => t.trim() !== '', 20_000, 'ε_B'));
      const epsSBefore = await panel.locator('[data-testid="cut-values-0"] [data-testid="eps-s"]').allTextContents();
      cutCsvBefore = readFileSync((await download(panel.locator('[data-plot="an0-cutmass"] [data-export="csv"]'), downloads)).path, 'utf8');
      // Drag the cut down to the lower third of the range: more background passes.
      const slider = panel.locator('[data-testid="cut-slider-0"]');
      await slider.focus();
      for (let i = 0; i < 5; i++) await slider.press('ArrowLeft');
      await slider.evaluate((el) => {
        // Browser-side code (this file is type-checked without DOM types).
        const input = el as unknown as { min: string; max: string; value: string; dispatchEvent(e: Event): void };
        input.value = String(Number(input.min) + (Number(input.max) - Number(input.min)) * 0.3);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const after = Number(await waitForText(epsB, (t) => t.trim() !== '' && Number(t) !== before, 20_000, 'ε_B to change'));
      assert(after > before, `lowering the cut should keep more background (ε_B ${before} → ${after})`);
      const epsSAfter = await panel.locator('[data-testid="cut-values-0"] [data-testid="eps-s"]').allTextContents();
      assert(epsSAfter.join() !== epsSBefore.join(), 'ε_S did not change');
      await page.waitForTimeout(500);
      const cutCsvAfter = readFileSync((await download(panel.locator('[data-plot="an0-cutmass"] [data-export="csv"]'), downloads)).path, 'utf8');
      const passing = (csv: string) => csvRows(csv).filter((r) => r[0]!.startsWith('passing')).map((r) => r[2]).join();
      assert(passing(cutCsvAfter) !== passing(cutCsvBefore), 'the passing-background mass histogram did not change');
      await panel.locator('[data-plot="an0-sculpting"] canvas').first().waitFor();
      await panel.locator('[data-plot="an0-correlation"] canvas').first().waitFor();
    });

    await step('Anomaly: a second run side by side', async () => {
      const panel = await view('anomaly');
      const sel = panel.locator('[data-testid="anomaly-run-1"]');
      await sel.selectOption({ label: (await sel.locator('option', { hasText: 'e2e-ebm-b' }).textContent())!.trim() });
      await panel.locator('[data-testid="evaluate-1"]').click();
      await waitForText(panel.locator('[data-testid="metrics-1"]'), (t) => /\d\.\d/.test(t), 180_000, 'the second run’s metrics');
      await panel.locator('[data-plot="an1-roc"] canvas').first().waitFor({ timeout: 20_000 });
      // For the picture: a tight cut on the first run (70 % of its energy range).
      await panel.locator('[data-testid="cut-slider-0"]').evaluate((el) => {
        const input = el as unknown as { min: string; max: string; value: string; dispatchEvent(e: Event): void };
        input.value = String(Number(input.min) + (Number(input.max) - Number(input.min)) * 0.7);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForTimeout(800);
      const path = await shot('anomaly');
      // The README's picture is refreshed on request only, so a test run leaves the checkout clean.
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        mkdirSync(join(root, 'docs', 'screenshots'), { recursive: true });
        copyFileSync(path, join(root, 'docs', 'screenshots', 'anomaly.png'));
      }
    });

    await step('Generation: generate jets, data vs generated with ratio panels and jet images', async () => {
      const panel = await view('generation');
      const sel = panel.locator('[data-testid="gen-run"]');
      await sel.selectOption({ label: (await sel.locator('option', { hasText: 'e2e-ebm-a' }).textContent())!.trim() });
      await panel.locator('input[type="number"]').nth(0).fill('200');
      await panel.locator('input[type="number"]').nth(1).fill('30');
      await panel.locator('[data-testid="generate"]').click();
      await panel.locator('[data-plot="gen-massGeV"] canvas').first().waitFor({ timeout: 180_000 });
      await panel.locator('[data-plot="gen-image-generated"] canvas').first().waitFor({ timeout: 20_000 });
      await shot('generation');
    });

    await step('Export: PNG at 200 dpi and 4×3 in, SVG, PDF and CSV with the plotted values', async () => {
      const panel = await view('export');
      await panel.locator('[data-testid="fig-width"]').fill('4');
      await panel.locator('[data-testid="fig-height"]').fill('3');
      await panel.locator('[data-testid="fig-dpi"]').fill('200');
      await waitForText(panel.locator('[data-testid="fig-geometry"]'), (t) => t.includes('800 × 600'), 5_000, 'the PNG size preview');
      const plot = panel.locator('[data-plot="data-massGeV"]');
      await plot.waitFor({ timeout: 20_000 });
      await shot('export');

      const png = await download(plot.locator('[data-export="png"]'), downloads);
      const info = readPngInfo(new Uint8Array(readFileSync(png.path)));
      assert(info.width === 800 && info.height === 600, `PNG is ${info.width}×${info.height}, expected 800×600`);
      assert(info.dpi === 200, `PNG says ${info.dpi} dpi, expected 200`);

      const svg = readFileSync((await download(plot.locator('[data-export="svg"]'), downloads)).path, 'utf8');
      const parsed = await page.evaluate((text) => {
        type El = { tagName: string; getAttribute(n: string): string | null };
        type Doc = { documentElement: El; getElementsByTagName(n: string): { length: number } };
        const Parser = (globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): Doc } }).DOMParser;
        const doc = new Parser().parseFromString(text, 'image/svg+xml');
        const rootEl = doc.documentElement;
        return { error: doc.getElementsByTagName('parsererror').length > 0, tag: rootEl.tagName, width: rootEl.getAttribute('width'), paths: doc.getElementsByTagName('path').length };
      }, svg);
      assert(!parsed.error && parsed.tag === 'svg', 'SVG does not parse');
      assert(parsed.width === '4in', `SVG width ${parsed.width}, expected 4in`);
      assert(parsed.paths > 5, 'SVG has no drawn paths');

      const pdf = readFileSync((await download(plot.locator('[data-export="pdf"]'), downloads)).path);
      assert(pdf.subarray(0, 5).toString() === '%PDF-', 'PDF header missing');
      assert(/MediaBox \[0 0 288(\.0*)? 216(\.0*)?\]/.test(pdf.toString('latin1')), 'PDF page is not 4×3 in (288×216 pt)');

      const csv = readFileSync((await download(plot.locator('[data-export="csv"]'), downloads)).path, 'utf8');
      const rows = csvRows(csv);
      assert(rows[0]!.join() === 'series,jet mass [GeV],a.u. (unit area)', `CSV header ${rows[0]!.join()}`);
      const datasets = await api<DatasetInfo[]>(url, 'listDatasets');
      const qcd = datasets.find((d) => d.name === 'sample-qcd')!;
      const summary = await api<DatasetSummary>(url, 'inspectDataset', { datasetId: qcd.id, bins: 40 });
      const mass = summary.perLabel[0]!.massGeV;
      const expected = toDensity(mass.edges, mass.counts);
      const plotted = rows.filter((r) => r[0]!.startsWith('qcd')).map((r) => [Number(r[1]), Number(r[2])] as const);
      for (let i = 0; i < expected.length; i++) {
        assert(plotted.some(([x, y]) => Math.abs(x - mass.edges[i]!) < 1e-9 && Math.abs(y - expected[i]!) <= 1e-12 + 1e-9 * Math.abs(expected[i]!)), `CSV lacks bin ${i} (${mass.edges[i]}, ${expected[i]})`);
      }
    });

    await step('no page errors', async () => {
      assert(pageErrors.length === 0, `page errors:\n${pageErrors.slice(0, 5).join('\n')}`);
    });
  } catch (err) {
    results.push({ name: 'suite setup', ok: false, seconds: 0, error: err instanceof Error ? err.message : String(err) });
    log(`✗ suite setup: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(watchdog);
    await browser?.close().catch(() => undefined);
    server?.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log('─'.repeat(60));
  for (const r of results) log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name} (${r.seconds.toFixed(1)} s)${r.error ? `\n      ${r.error.replace(/\n/g, '\n      ')}` : ''}`);
  log(`screenshots in ${outDir}`);
  process.stdout.write(`e2e: ${passed} passed, ${failed} failed\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = await main();
