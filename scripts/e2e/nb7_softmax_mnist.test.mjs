// End-to-end test of the port notebook in a real browser: a Jupyter Notebook
// server with the Go kernel (gonb), started from a temporary copy of the
// repository, and Debian's Chromium driven by playwright-core through the
// classic Notebook UI (Cell > Run All). It asserts what a person would see:
// no error in any cell, the three result lines, and the weights figure drawn
// as an image. Screenshots go to build/e2e/ in the repository.
//
// Run: bash scripts/e2e/run.sh (or `node --test` in scripts/e2e).
// Environment (all optional):
//   E2E_CHROMIUM        browser executable (default /usr/bin/chromium)
//   E2E_JUPYTER         jupyter-notebook executable (default: /usr/bin/jupyter-notebook, else PATH)
//   E2E_REPO            repository to copy (default: the one holding this file)
//   E2E_NOTEBOOK        notebook path inside the repository (default notebooks/nb7_softmax_mnist.ipynb)
//   E2E_OUT             output folder (default <repo>/build/e2e)
//   E2E_KEEP=1          keep the temporary copy (its path is printed)
//   Bounds in seconds: E2E_SERVER_TIMEOUT (60), E2E_BROWSER_TIMEOUT (30),
//   E2E_KERNEL_TIMEOUT (90), E2E_RUN_TIMEOUT (300), E2E_TOTAL_TIMEOUT (600).

import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  JupyterServer, copyRepo, freePort, goBinDirs, killGroup, killStragglers, log, pgidOf, setLogFile, processesMentioning, run, seconds, sleep, tail, which, withTimeout,
} from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(process.env.E2E_REPO || path.join(here, '..', '..'));
const notebookRel = process.env.E2E_NOTEBOOK || 'notebooks/nb7_softmax_mnist.ipynb';
const outDir = path.resolve(process.env.E2E_OUT || path.join(repo, 'build', 'e2e'));
const chromiumExe = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

const bound = {
  server: seconds('E2E_SERVER_TIMEOUT', 60) * 1000,
  browser: seconds('E2E_BROWSER_TIMEOUT', 30) * 1000,
  kernel: seconds('E2E_KERNEL_TIMEOUT', 90) * 1000,
  run: seconds('E2E_RUN_TIMEOUT', 300) * 1000,
  total: seconds('E2E_TOTAL_TIMEOUT', 600) * 1000,
};

// The three lines the original notebook prints in its first cell.
const resultLines = [
  { name: 'run time', re: /Example run in ([-+0-9.eE]+) ?s\b/ },
  { name: 'sparsity', re: /Sparsity with L2 penalty: ([-+0-9.eE]+) ?%/ },
  { name: 'test score', re: /Test score with L2 penalty: ([-+0-9.eE]+)/ },
];

// Chromium as the machine notes require: no sandbox as root, no GPU, and no
// background connections (the network is closed here).
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage',
];

// preflight checks the tools the test needs and returns their paths, or
// throws naming what is missing and how to install it.
function preflight() {
  const hint = 'install with: bash scripts/setup.sh --e2e';
  if (!fs.existsSync(chromiumExe)) throw new Error(`e2e: Chromium not found at ${chromiumExe} (${hint}, or set E2E_CHROMIUM)`);
  const jupyter = process.env.E2E_JUPYTER || (fs.existsSync('/usr/bin/jupyter-notebook') ? '/usr/bin/jupyter-notebook' : which('jupyter-notebook'));
  if (!jupyter) throw new Error(`e2e: the Jupyter Notebook server (jupyter-notebook) is not installed (${hint}: Debian package jupyter-notebook)`);
  let version;
  try {
    version = run(jupyter, ['--version']).split('\n').pop();
  } catch (e) {
    throw new Error(`e2e: ${jupyter} --version failed: ${(e.stderr || e.message).toString().trim()}`);
  }
  if (!/^6\./.test(version)) {
    throw new Error(`e2e: the test drives the classic Notebook 6 UI; ${jupyter} is version ${version} (${hint}: Debian 12's jupyter-notebook)`);
  }
  const binDirs = goBinDirs();
  if (binDirs.length === 0) throw new Error('e2e: the go tool is not installed (not in PATH nor /usr/local/go/bin)');
  const pathEnv = [...binDirs, process.env.PATH || '/usr/bin:/bin'].join(':');
  let spec;
  try {
    const specs = JSON.parse(run(fs.existsSync('/usr/bin/jupyter') ? '/usr/bin/jupyter' : 'jupyter', ['kernelspec', 'list', '--json'], { env: { ...process.env, PATH: pathEnv } }));
    spec = specs.kernelspecs.gonb;
  } catch (e) {
    throw new Error(`e2e: jupyter kernelspec list failed: ${(e.stderr || e.message).toString().trim()}`);
  }
  if (!spec) throw new Error(`e2e: the gonb kernel is not registered with Jupyter (${hint}, or gonb --install)`);
  const gonb = spec.spec.argv[0];
  if (!which(gonb, pathEnv)) throw new Error(`e2e: the gonb kernel's program ${gonb} is missing (${hint})`);
  if (!which('goimports', pathEnv)) throw new Error(`e2e: goimports, which GoNB needs, is not in ${binDirs.join(' or ')} nor PATH (${hint})`);
  let browserVersion = '';
  try {
    // GNU timeout stops the whole group if a wrapper script hangs.
    browserVersion = fs.existsSync('/usr/bin/timeout')
      ? run('/usr/bin/timeout', ['-k', '2', '15', chromiumExe, '--version'], { timeout: 20_000 })
      : run(chromiumExe, ['--version'], { timeout: 15_000 });
  } catch (e) {
    throw new Error(`e2e: ${chromiumExe} --version failed: ${(e.stderr || e.message).toString().trim()}`);
  }
  return { jupyter, version, pathEnv, gonb, browserVersion };
}

// pageState reads the notebook page (runs in the browser).
function pageState() {
  const nb = window.Jupyter && window.Jupyter.notebook;
  const ind = document.querySelector('#kernel_indicator_icon');
  const modal = [...document.querySelectorAll('.modal.in')]
    .map((m) => m.innerText.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ');
  const cells = [...document.querySelectorAll('#notebook-container > .cell.code_cell')].map((el, i) => {
    const cell = nb && nb.get_cells().find((c) => c.element && c.element[0] === el);
    return {
      i,
      empty: cell ? cell.get_text().trim() === '' : false,
      prompt: (el.querySelector('.input_prompt') || {}).innerText || '',
      running: el.classList.contains('running'),
      text: [...el.querySelectorAll('.output_area')].map((o) => o.innerText).join('\n'),
      errors: [...el.querySelectorAll('.output_error')].map((o) => o.innerText.trim()),
      stderr: [...el.querySelectorAll('.output_stderr')].map((o) => o.innerText.trim()),
      imgs: el.querySelectorAll('.output_area img').length,
    };
  });
  return {
    loaded: !!(nb && nb._fully_loaded),
    kernel: nb && nb.kernel ? { name: nb.kernel.name, connected: nb.kernel.is_connected() } : null,
    indicator: ind ? ind.className : '',
    modal,
    counts: window.__e2e || null,
    cells,
  };
}

// Text that means a Go program failed, even if the kernel sent it as plain output.
const failureText = /^panic: |goroutine \d+ \[running\]|exit status [1-9]\d*|^fatal error: |^\S+\.go:\d+:\d+: /m;

function cellFailures(s) {
  const out = [];
  for (const c of s.cells) {
    for (const e of c.errors) out.push(`code cell ${c.i + 1} shows an error output:\n${e.slice(0, 2000)}`);
    for (const e of c.stderr) if (failureText.test(e)) out.push(`code cell ${c.i + 1} wrote a failure to stderr:\n${e.slice(0, 2000)}`);
    if (!c.errors.length && failureText.test(c.text)) out.push(`code cell ${c.i + 1} output reports a failure:\n${c.text.slice(0, 2000)}`);
  }
  return out;
}

function describeCells(s) {
  return s.cells.map((c) => `  cell ${c.i + 1}: ${c.prompt.trim() || 'In [ ]:'}${c.running ? ' running' : ''}${c.empty ? ' (empty)' : ''}` +
    `${c.imgs ? `, ${c.imgs} image(s)` : ''}${c.text ? `, output: ${JSON.stringify(c.text.slice(0, 160))}` : ''}`).join('\n');
}

test('the port notebook runs in Jupyter in Chromium and shows its results and the weights figure', { timeout: bound.total + 60_000 }, async () => {
  const started = Date.now();
  const deadline = started + bound.total;
  const left = (ms) => Math.max(1000, Math.min(ms, deadline - Date.now()));
  const times = {};
  const mark = (name, since) => { times[name] = +((Date.now() - since) / 1000).toFixed(2); };

  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir)) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
  const serverLog = path.join(outDir, 'jupyter-server.log');
  const consoleLog = path.join(outDir, 'browser-console.log');
  setLogFile(path.join(outDir, 'e2e.log'));

  let tmp, server, context, page;
  let cleaning = null;
  let interrupted = null;
  let browserGone = false;
  const cleanup = () => {
    if (cleaning) return cleaning;
    cleaning = (async () => {
      const t = Date.now();
      if (context) await withTimeout(context.close(), 10_000, 'closing Chromium').catch((e) => log(`closing Chromium: ${e.message}`));
      if (server) await server.stop();
      // Anything else of this run (a browser that hung at start, a kernel's children) names tmp.
      if (tmp) await killStragglers(tmp);
      if (tmp && process.env.E2E_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
      else if (tmp) log(`kept the temporary copy ${tmp}`);
      mark('cleanup', t);
      log(`stopped the browser and the Jupyter server${tmp ? ', removed the temporary copy' : ''} in ${times.cleanup} s`);
    })();
    return cleaning;
  };
  const onSignal = (sig) => {
    if (interrupted) return;
    interrupted = sig;
    log(`${sig}: stopping the browser and the Jupyter server`);
    withTimeout(cleanup(), 20_000, 'clean-up').catch(() => {}).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  const onExit = () => {
    if (server) server.killNow();
    if (tmp) for (const pid of processesMentioning(tmp)) killGroup(pgidOf(pid) || pid, 'SIGKILL');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', onExit);

  const consoleLines = [];
  let failed = null;
  let values = null;
  let fig = null;
  try {
    const tools = preflight();
    log(`tools: ${tools.browserVersion} (${chromiumExe}), ${tools.jupyter} ${tools.version}, gonb ${tools.gonb}`);
    if (!fs.existsSync(path.join(repo, notebookRel))) {
      throw new Error(`e2e: ${notebookRel} not found in ${repo}: nothing to test`);
    }

    // 1. A temporary copy of the repository: Jupyter saves into the copy, never into the work tree.
    let t = Date.now();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nb7-e2e-'));
    const root = path.join(tmp, 'repo');
    const n = copyRepo(repo, root);
    mark('copy', t);
    log(`copied ${n} files of ${repo} to ${root}`);

    // 2. A real Jupyter Notebook server with the gonb kernel, on a free loopback port with a token.
    t = Date.now();
    const token = crypto.randomBytes(24).toString('hex');
    server = new JupyterServer({
      exe: tools.jupyter, root, dir: tmp, port: await freePort(), token, logFile: serverLog,
      env: { ...process.env, PATH: tools.pathEnv, BROWSER: 'true' },
    });
    server.start();
    log(`Jupyter server pid ${server.pid} starting on ${server.base} (log: ${serverLog})`);
    const status = await server.waitReady(left(bound.server));
    mark('server', t);
    log(`Jupyter server ready in ${times.server} s (started ${status.started})`);

    // 3. Chromium, headless, with a fresh empty profile inside the run's temporary directory.
    t = Date.now();
    const profile = path.join(tmp, 'chromium-profile');
    fs.mkdirSync(profile);
    context = await server.guard(withTimeout(chromium.launchPersistentContext(profile, {
      executablePath: chromiumExe, headless: true, args: chromiumArgs, timeout: left(bound.browser),
      viewport: { width: 1280, height: 900 }, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    }), left(bound.browser) + 1000, `starting Chromium (${chromiumExe})`).catch((e) => {
      throw new Error(`Chromium (${chromiumExe}) failed to start (bound ${bound.browser / 1000} s): ${e.message.split('\n')[0]}`);
    }));
    mark('browser', t);
    log(`Chromium started in ${times.browser} s (profile ${profile})`);
    context.on('close', () => { if (!cleaning) browserGone = true; });
    page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));

    // 4. Open the notebook and wait for the kernel.
    t = Date.now();
    const url = `${server.base}/notebooks/${notebookRel.split('/').map(encodeURIComponent).join('/')}?token=${token}`;
    const resp = await server.guard(page.goto(url, { waitUntil: 'domcontentloaded', timeout: left(bound.kernel) }));
    assert.ok(resp && resp.ok(), `opening ${notebookRel} gave HTTP ${resp && resp.status()}`);
    let s;
    const kernelDeadline = Date.now() + left(bound.kernel);
    for (;;) {
      server.check();
      s = await server.guard(withTimeout(page.evaluate(pageState), 10_000, 'reading the notebook page'));
      if (s.modal) throw new Error(`the notebook page shows a dialog while loading: ${s.modal}`);
      if (s.loaded && s.kernel && s.kernel.connected && s.indicator === 'kernel_idle_icon') break;
      if (Date.now() > kernelDeadline) {
        throw new Error(`the ${s.kernel ? s.kernel.name : 'gonb'} kernel was not ready within ${bound.kernel / 1000} s ` +
          `(page loaded: ${s.loaded}, kernel: ${JSON.stringify(s.kernel)}, indicator: ${s.indicator || 'none'}); ` +
          `server log:\n${tail(serverLog, 15)}`);
      }
      await sleep(250);
    }
    assert.equal(s.kernel.name, 'gonb', `the notebook runs on kernel ${s.kernel.name}, not gonb`);
    mark('kernel', t);
    const expected = s.cells.filter((c) => !c.empty).length;
    log(`notebook open, kernel gonb ready in ${times.kernel} s; ${s.cells.length} code cells (${expected} non-empty)`);

    // Count executions as the UI sees them (observation only; the cells run through the menu).
    await page.evaluate(() => {
      window.__e2e = { started: 0, finished: 0 };
      window.Jupyter.notebook.events.on('execute.CodeCell', () => { window.__e2e.started++; });
      window.Jupyter.notebook.events.on('finished_execute.CodeCell', () => { window.__e2e.finished++; });
    });

    // 5. Cell > Run All, through the menu, as a person would.
    t = Date.now();
    await page.click('#celllink', { timeout: 10_000 });
    await page.click('#run_all_cells > a', { timeout: 10_000 });
    log('clicked Cell > Run All');
    const runDeadline = Date.now() + left(bound.run);
    let lastLog = 0;
    for (;;) {
      server.check();
      s = await server.guard(withTimeout(page.evaluate(pageState), 10_000, 'reading the notebook page'));
      const busy = s.cells.some((c) => c.running || c.prompt.includes('*'));
      const fails = cellFailures(s);
      if (fails.length && (!busy || s.indicator === 'kernel_idle_icon')) {
        throw new Error(`${fails.join('\n')}\ncells:\n${describeCells(s)}`);
      }
      if (s.modal) throw new Error(`the notebook page shows a dialog while running: ${s.modal}\ncells:\n${describeCells(s)}`);
      if (/kernel_dead_icon|kernel_disconnected_icon/.test(s.indicator)) {
        throw new Error(`the kernel indicator says ${s.indicator} while running\ncells:\n${describeCells(s)}\nserver log:\n${tail(serverLog, 15)}`);
      }
      const c = s.counts || { started: 0, finished: 0 };
      if (c.started >= expected && c.finished >= c.started && !busy && s.indicator === 'kernel_idle_icon') break;
      if (Date.now() > runDeadline) {
        throw new Error(`the cells did not finish within ${bound.run / 1000} s of Run All (started ${c.started}, finished ${c.finished} of ${expected})\ncells:\n${describeCells(s)}`);
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`running: ${c.finished}/${expected} cells finished, kernel ${s.indicator.replace(/^kernel_|_icon$/g, '')}`);
      }
      await sleep(500);
    }
    mark('run_all', t);
    log(`all ${expected} cells ran in ${times.run_all} s`);
    fs.writeFileSync(path.join(outDir, 'outputs.txt'), s.cells.map((c) => `--- cell ${c.i + 1} ${c.prompt.trim()}\n${c.text}`).join('\n'));

    // 6. What a person sees: no error, the three result lines, the weights figure.
    const fails = cellFailures(s);
    assert.equal(fails.length, 0, fails.join('\n'));
    const resultCell = s.cells.find((c) => resultLines.every((l) => l.re.test(c.text)));
    assert.ok(resultCell, `no cell shows the three result lines (${resultLines.map((l) => l.re.source).join(', ')})\ncells:\n${describeCells(s)}`);
    values = {};
    for (const l of resultLines) {
      const m = resultCell.text.match(l.re);
      values[l.name] = Number(m[1]);
      assert.ok(Number.isFinite(values[l.name]), `the ${l.name} shown is not a number: ${m[0]}`);
    }
    assert.ok(values['run time'] > 0, `the run time shown is ${values['run time']} s`);
    assert.ok(values.sparsity >= 0 && values.sparsity <= 100, `the sparsity shown is ${values.sparsity}%`);
    assert.ok(values['test score'] >= 0 && values['test score'] <= 1, `the test score shown is ${values['test score']}`);
    log(`result lines in cell ${resultCell.i + 1}: ${resultLines.map((l) => resultCell.text.match(l.re)[0]).join(' | ')}`);

    const figCell = s.cells.find((c) => c.i >= resultCell.i && c.imgs > 0);
    assert.ok(figCell, `no image output in or after cell ${resultCell.i + 1} (the weights figure)\ncells:\n${describeCells(s)}`);
    const img = page.locator('#notebook-container > .cell.code_cell').nth(figCell.i).locator('.output_area img').first();
    await img.scrollIntoViewIfNeeded({ timeout: 10_000 });
    fig = await img.evaluate(async (el) => {
      if (!el.complete) await new Promise((r) => { el.onload = r; el.onerror = r; setTimeout(r, 5000); });
      const r = el.getBoundingClientRect();
      // Distinct colours on a sample grid: a blank or broken image has one or two.
      let colours = 0;
      try {
        const c = document.createElement('canvas');
        c.width = el.naturalWidth; c.height = el.naturalHeight;
        const g = c.getContext('2d');
        g.drawImage(el, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        const step = Math.max(1, Math.floor(c.width * c.height / 20000));
        for (let p = 0; p < c.width * c.height; p += step) seen.add((d[4 * p] << 16) | (d[4 * p + 1] << 8) | d[4 * p + 2]);
        colours = seen.size;
      } catch { colours = -1; }
      return {
        complete: el.complete, naturalWidth: el.naturalWidth, naturalHeight: el.naturalHeight,
        shownWidth: Math.round(r.width), shownHeight: Math.round(r.height),
        type: (el.getAttribute('src') || '').slice(0, 22), colours,
      };
    });
    log(`weights figure in cell ${figCell.i + 1}: ${JSON.stringify(fig)}`);
    assert.ok(fig.complete && fig.naturalWidth > 0 && fig.naturalHeight > 0, `the weights figure did not load: ${JSON.stringify(fig)}`);
    assert.ok(fig.shownWidth > 0 && fig.shownHeight > 0, `the weights figure is not visible on the page: ${JSON.stringify(fig)}`);
    assert.ok(fig.colours >= 16, `the weights figure looks blank (${fig.colours} distinct colours): ${JSON.stringify(fig)}`);

    // 7. Screenshots: the figure's output, then the whole notebook.
    t = Date.now();
    await page.locator('#notebook-container > .cell.code_cell').nth(figCell.i).locator('.output_area').filter({ has: page.locator('img') }).first()
      .screenshot({ path: path.join(outDir, 'weights-figure.png'), timeout: 20_000 });
    // The classic UI scrolls inside #site; let the page flow so a full-page shot holds every cell.
    await page.addStyleTag({ content: 'html,body{height:auto!important;overflow:visible!important} #site{height:auto!important;overflow:visible!important}' });
    await page.screenshot({ path: path.join(outDir, 'notebook.png'), fullPage: true, timeout: 30_000 });
    mark('screenshots', t);
    log(`screenshots: ${path.join(outDir, 'notebook.png')}, ${path.join(outDir, 'weights-figure.png')}`);
  } catch (err) {
    let e = err;
    if (interrupted) e = new Error(`interrupted by ${interrupted}`);
    else if (browserGone && !err.serverDied) e = new Error(`Chromium exited unexpectedly during the test: ${err.message}`);
    failed = e;
    if (page && !server?.deathReason) {
      await page.locator('.output_error, .output_stderr').first().scrollIntoViewIfNeeded({ timeout: 2000 }).catch(() => {});
      await withTimeout(page.screenshot({ path: path.join(outDir, 'failure.png'), fullPage: false, timeout: 5000 }), 6000, 'failure screenshot')
        .then(() => log(`failure screenshot: ${path.join(outDir, 'failure.png')}`)).catch(() => {});
    }
    throw e;
  } finally {
    if (consoleLines.length) fs.writeFileSync(consoleLog, consoleLines.join('\n') + '\n');
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', onExit);
    mark('total', started);
    fs.writeFileSync(path.join(outDir, 'result.json'), JSON.stringify({
      ok: !failed, error: failed ? String(failed.message) : undefined, notebook: notebookRel, values, figure: fig, times,
    }, null, 2) + '\n');
    if (failed) {
      log(`FAILED after ${times.total} s: ${failed.message.split('\n')[0]}`);
    } else {
      log(`passed in ${times.total} s (${JSON.stringify(times)})`);
    }
  }
});
