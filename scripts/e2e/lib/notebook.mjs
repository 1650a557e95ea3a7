// The harness of the browser tests: a real JupyterLab 4 server (which also
// serves Notebook 7) with the gonb kernel, started from a temporary copy of
// the repository, and Chromium driven by playwright-core as a person would
// drive it. A test file uses it like this:
//
//	import test from 'node:test';
//	import { Session, bounds } from './lib/notebook.mjs';
//
//	test('my notebook in JupyterLab', { timeout: bounds.test }, () =>
//	  Session.run('mine-lab', async (s) => {
//	    const nb = await s.open('lab', 'notebooks/mine.ipynb'); // or 'nb7' for Notebook 7
//	    await nb.runAll();              // Run > Run All Cells, through the menu
//	    const st = await nb.waitDone(); // bounded; fails on an error output or a dialog
//	    const lines = nb.stdoutLines(st);
//	    nb.checkResults(results, st);  // the lines of testdata/notebook_results.json (results.mjs)
//	    const imgs = await nb.images(); // every image output: loaded size, colours, cell
//	    await nb.reveal(imgs[0]);       // scrolled to, visible in the viewport, not covered
//	    await nb.screenshot('mine-lab.png');
//	  }));
//
// Session.run(name, fn, {baseUrl}) copies the repository (git's tracked and unignored
// files) to a temporary folder, starts `jupyter lab` from the project's
// environment on a free 127.0.0.1 port with a token and its own Jupyter
// folders (harness.mjs, jupyterDirs), starts Chromium with an empty profile,
// runs fn(session), and in every case (pass, failure, signal) stops the
// browser, the server, its kernels and anything else that names the
// temporary folder, then removes the folder. With baseUrl ('/e2e/') the server
// is served under that prefix, as Binder and JupyterHub serve it. On failure it saves a screenshot
// of each open page and prints the end of the server's log. Its files go to
// build/e2e/: NAME.server.log, NAME.console.log (the browser console),
// NAME.json (times, ok, error, and what fn put in session.result), the
// screenshots, and e2e.log (every log line of every test).
//
// session.open(ui, path) opens a notebook of the copy at /lab/tree/PATH
// (ui 'lab') or /notebooks/PATH (ui 'nb7') in a new page, and waits until the
// kernel named in the notebook's metadata is picked without a dialog: the
// toolbar shows its display name and the server has a session of that
// kernel for the path. A dialog (e.g. "Select Kernel", which appears when no
// kernel spec matches the metadata) fails the test. session.write(path,
// text) writes a file into the copy (for a mutated notebook).
//
// Notebook (what open returns) reads the page through stable selectors only
// (.jp-NotebookPanel, .jp-Cell, .jp-InputPrompt, .jp-OutputArea-output and
// its data-mime-type, .jp-Notebook-ExecutionIndicator[data-status],
// .jp-KernelName, .jp-Dialog), the same in JupyterLab and Notebook 7, and
// matches text inside output areas only (cell sources hold the same words).
// An error output is any stderr or error output (both render with the mime
// type application/vnd.jupyter.stderr; GoNB sends compile errors, panics and
// "exit status N" there), unless the caller passes an allowStderr pattern.
//
// Bounds, in seconds (environment, all optional): E2E_SERVER_TIMEOUT (60),
// E2E_BROWSER_TIMEOUT (30), E2E_KERNEL_TIMEOUT (90, opening a notebook until
// its kernel is picked), E2E_RUN_TIMEOUT (300, Run All until idle),
// E2E_TOTAL_TIMEOUT (600, one Session.run). Other settings: E2E_CHROMIUM
// (default /usr/bin/chromium), E2E_JUPYTER (default <repo>/.venv/bin/jupyter-lab),
// E2E_REPO (the repository to copy, default the one holding this file),
// E2E_OUT (default <repo>/build/e2e), E2E_KEEP=1 (keep the temporary copy).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  JupyterServer, copyRepo, freePort, goBinDirs, jupyterDirs, killGroup, killStragglers, log, pgidOf,
  processesMentioning, run, seconds, setLogFile, sleep, tail, which, withTimeout,
} from './harness.mjs';
import { checkLines, expectedFor } from './results.mjs';

// CACHE_REPORT matches a line of pkg/cache's reports (scripts/nboutputs.py's CACHE_LINE).
const CACHE_REPORT = /^cache: /;

const here = path.dirname(fileURLToPath(import.meta.url));

// repo is the repository the tests copy and read their expectations from.
export const repo = path.resolve(process.env.E2E_REPO || path.join(here, '..', '..', '..'));
// outDir is where screenshots, logs and results go.
export const outDir = path.resolve(process.env.E2E_OUT || path.join(repo, 'build', 'e2e'));
const chromiumExe = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const jupyterExe = process.env.E2E_JUPYTER || path.join(repo, '.venv', 'bin', 'jupyter-lab');

// bounds are the waits' limits in milliseconds; test is node:test's timeout
// for a test that makes one Session.run.
export const bounds = {
  server: seconds('E2E_SERVER_TIMEOUT', 60) * 1000,
  browser: seconds('E2E_BROWSER_TIMEOUT', 30) * 1000,
  kernel: seconds('E2E_KERNEL_TIMEOUT', 90) * 1000,
  run: seconds('E2E_RUN_TIMEOUT', 300) * 1000,
  total: seconds('E2E_TOTAL_TIMEOUT', 600) * 1000,
};
bounds.test = bounds.total + 60_000;

// The UIs: the URL of a notebook in each.
const uis = {
  lab: { name: 'JupyterLab', url: (rel) => `/lab/tree/${encodePath(rel)}?reset&` },
  nb7: { name: 'Notebook 7', url: (rel) => `/notebooks/${encodePath(rel)}?` },
};
const encodePath = (rel) => rel.split('/').map(encodeURIComponent).join('/');

// Chromium as the machine notes require: no sandbox as root, no GPU, and no
// background connections (the network is closed here).
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage',
];

// The environment's versions and the gonb kernel spec, as its Jupyter sees them.
const versionsPy = `import json, jupyterlab, notebook
from jupyter_client.kernelspec import KernelSpecManager
print(json.dumps({"lab": jupyterlab.__version__, "notebook": notebook.__version__,
                  "gonb": KernelSpecManager().get_all_specs().get("gonb")}))`;
let toolsSeen = null;

// preflight checks the tools, once per process, and returns their versions
// and the kernel's PATH, or throws naming what is missing and how to install
// it. dirs are a server's Jupyter folders: the kernel spec is looked up as
// the server will.
function preflight(dirs) {
  if (toolsSeen) return toolsSeen;
  const hint = 'install with: bash scripts/setup.sh --e2e';
  if (!fs.existsSync(chromiumExe)) throw new Error(`e2e: Chromium not found at ${chromiumExe} (${hint}, or set E2E_CHROMIUM)`);
  if (!fs.existsSync(jupyterExe)) throw new Error(`e2e: JupyterLab not found at ${jupyterExe} (${hint}, or set E2E_JUPYTER)`);
  const python = path.join(path.dirname(jupyterExe), 'python');
  let v;
  try {
    v = JSON.parse(run(python, ['-c', versionsPy], { env: { ...process.env, ...dirs } }));
  } catch (e) {
    throw new Error(`e2e: ${python} cannot read JupyterLab's and Notebook's versions and the kernel specs: ${(e.stderr || e.message).toString().trim()} (${hint})`);
  }
  if (!/^4\./.test(v.lab)) throw new Error(`e2e: the tests drive JupyterLab 4; ${python} has jupyterlab ${v.lab} (${hint})`);
  if (!/^7\./.test(v.notebook)) throw new Error(`e2e: the tests drive Notebook 7; ${python} has notebook ${v.notebook} (${hint})`);
  if (!v.gonb) throw new Error(`e2e: the gonb kernel is not registered with the Jupyter of ${python} (${hint})`);
  const binDirs = goBinDirs();
  if (binDirs.length === 0) throw new Error('e2e: the go tool is not installed (not in PATH nor /usr/local/go/bin)');
  const pathEnv = [...binDirs, process.env.PATH || '/usr/bin:/bin'].join(':');
  const gonb = v.gonb.spec.argv[0];
  if (!which(gonb, pathEnv)) throw new Error(`e2e: the gonb kernel's program ${gonb} is missing (${hint})`);
  if (!which('goimports', pathEnv)) throw new Error(`e2e: goimports, which GoNB needs, is not in ${binDirs.join(' or ')} nor PATH (${hint})`);
  let browser;
  try {
    // GNU timeout stops the whole group if a wrapper script hangs.
    browser = fs.existsSync('/usr/bin/timeout')
      ? run('/usr/bin/timeout', ['-k', '2', '15', chromiumExe, '--version'], { timeout: 20_000 })
      : run(chromiumExe, ['--version'], { timeout: 15_000 });
  } catch (e) {
    throw new Error(`e2e: ${chromiumExe} --version failed: ${(e.stderr || e.message).toString().trim()}`);
  }
  toolsSeen = { lab: v.lab, nb: v.notebook, pathEnv, gonb, browser };
  return toolsSeen;
}

// Session is one temporary copy of the repository, one Jupyter server and
// one browser; see the top of this file.
export class Session {
  // run runs fn(session) in a new session named name (the prefix of its
  // files in build/e2e) and stops everything it started, pass or fail. It
  // resolves to what fn resolved to, or rejects with fn's error.
  // With expectFailure (a test of the harness itself) a failure is logged as
  // expected, without the server's log.
  // With baseUrl the server is served under that prefix (see JupyterServer).
  static async run(name, fn, { expectFailure = false, baseUrl = '/' } = {}) {
    const s = new Session(name);
    s.expectFailure = expectFailure;
    s.baseUrl = baseUrl;
    return s._run(fn);
  }

  constructor(name) {
    this.name = name;
    this.started = Date.now();
    this.deadline = this.started + bounds.total;
    this.times = {};
    this.result = {};
    this.pages = [];
    this.consoleLines = [];
  }

  // left returns ms, or less if the session's total bound comes first.
  left(ms) {
    return Math.max(1000, Math.min(ms, this.deadline - Date.now()));
  }

  // mark records the seconds since since under name in the session's times.
  mark(name, since) {
    this.times[name] = +((Date.now() - since) / 1000).toFixed(2);
    return this.times[name];
  }

  // out returns the path of a file named name in build/e2e.
  out(name) {
    return path.join(outDir, name);
  }

  // file returns the path of rel in the copy of the repository.
  file(rel) {
    return path.join(this.root, rel);
  }

  // write writes text to rel in the copy of the repository.
  write(rel, text) {
    fs.mkdirSync(path.dirname(this.file(rel)), { recursive: true });
    fs.writeFileSync(this.file(rel), text);
  }

  async _run(fn) {
    fs.mkdirSync(outDir, { recursive: true });
    setLogFile(this.out('e2e.log'));
    this.serverLog = this.out(`${this.name}.server.log`);
    fs.rmSync(this.serverLog, { force: true });
    const handlers = this._trapSignals();
    let failed = null;
    try {
      await this._start();
      return await fn(this);
    } catch (err) {
      failed = this._explain(err);
      await this._onFailure(failed);
      throw failed;
    } finally {
      if (this.consoleLines.length) fs.writeFileSync(this.out(`${this.name}.console.log`), this.consoleLines.join('\n') + '\n');
      await this._cleanup();
      handlers.off();
      this.mark('total', this.started);
      fs.writeFileSync(this.out(`${this.name}.json`), JSON.stringify({
        ok: !failed, error: failed ? String(failed.message) : undefined, ...this.result, times: this.times,
      }, null, 2) + '\n');
      log(`${this.name}: ${failed ? `${this.expectFailure ? 'failed as expected' : 'FAILED'} after ${this.times.total} s: ${failed.message.split('\n')[0]}` : `passed in ${this.times.total} s`} (${JSON.stringify(this.times)})`);
    }
  }

  // _start makes the copy, starts the server and the browser.
  async _start() {
    let t = Date.now();
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nb7-e2e-'));
    this.root = path.join(this.tmp, 'repo');
    const tools = preflight(jupyterDirs(this.tmp));
    this.mark('preflight', t);
    t = Date.now();
    this.result.tools = { chromium: `${tools.browser} (${chromiumExe})`, jupyterlab: tools.lab, notebook: tools.nb, gonb: tools.gonb };
    log(`${this.name}: ${tools.browser} (${chromiumExe}), JupyterLab ${tools.lab} and Notebook ${tools.nb} (${jupyterExe}), gonb ${tools.gonb}`);
    const n = copyRepo(repo, this.root);
    this.mark('copy', t);
    log(`${this.name}: copied ${n} files of ${repo} to ${this.root}`);

    t = Date.now();
    this.token = crypto.randomBytes(24).toString('hex');
    this.server = new JupyterServer({
      exe: jupyterExe, root: this.root, dir: this.tmp, port: await freePort(), token: this.token, logFile: this.serverLog,
      env: { ...process.env, PATH: tools.pathEnv, BROWSER: 'true' }, baseUrl: this.baseUrl,
    });
    this.server.start();
    log(`${this.name}: jupyter lab pid ${this.server.pid} starting on ${this.server.base} (log: ${this.serverLog})`);
    await this.server.waitReady(this.left(bounds.server));
    log(`${this.name}: Jupyter server ready in ${this.mark('server', t)} s`);

    t = Date.now();
    const profile = path.join(this.tmp, 'chromium-profile');
    fs.mkdirSync(profile);
    this.context = await this.server.guard(withTimeout(chromium.launchPersistentContext(profile, {
      executablePath: chromiumExe, headless: true, args: chromiumArgs, timeout: this.left(bounds.browser),
      viewport: { width: 1280, height: 900 }, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    }), this.left(bounds.browser) + 1000, `starting Chromium (${chromiumExe})`).catch((e) => {
      throw new Error(`Chromium (${chromiumExe}) failed to start (bound ${bounds.browser / 1000} s): ${e.message.split('\n')[0]}`);
    }));
    this.context.on('close', () => { if (!this.cleaning) this.browserGone = true; });
    log(`${this.name}: Chromium started in ${this.mark('browser', t)} s`);
  }

  // newPage returns a page of the browser: the first one, then new ones.
  async newPage() {
    const fresh = this.context.pages().find((p) => !this.pages.includes(p));
    const page = fresh || await this.context.newPage();
    this.pages.push(page);
    const tag = `[page ${this.pages.length}]`;
    page.on('console', (m) => this.consoleLines.push(`${tag} [${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => this.consoleLines.push(`${tag} [pageerror] ${e.message}`));
    return page;
  }

  // open opens the notebook rel of the copy in ui ('lab' or 'nb7') and waits
  // until its kernel is picked; it returns a Notebook.
  async open(ui, rel) {
    assert.ok(uis[ui], `e2e: unknown UI ${ui} (want ${Object.keys(uis).join(' or ')})`);
    const meta = JSON.parse(fs.readFileSync(this.file(rel), 'utf8'));
    const page = await this.newPage();
    const nb = new Notebook(this, page, ui, rel, meta);
    const t = Date.now();
    const url = `${this.server.base}${uis[ui].url(rel)}token=${this.token}`;
    const resp = await this.server.guard(page.goto(url, { waitUntil: 'domcontentloaded', timeout: this.left(bounds.kernel) }));
    assert.ok(resp && resp.ok(), `opening ${rel} in ${uis[ui].name} gave HTTP ${resp && resp.status()}`);
    await nb.waitKernel(this.left(bounds.kernel));
    log(`${this.name}: ${rel} open in ${uis[ui].name}, kernel ${nb.kernelName} picked in ${this.mark(`open_${ui}`, t)} s`);
    return nb;
  }

  // _explain turns err into the error to report (a signal, a dead browser).
  _explain(err) {
    if (this.interrupted) return new Error(`interrupted by ${this.interrupted}`);
    if (this.browserGone && !err.serverDied) return new Error(`Chromium exited unexpectedly during the test: ${err.message}`);
    return err;
  }

  // _onFailure saves a screenshot of each open page and prints the end of
  // the server's log.
  async _onFailure(err) {
    if (this.server && !this.server.deathReason) {
      for (const [i, page] of this.pages.entries()) {
        const file = this.out(`${this.name}-failure${this.pages.length > 1 ? `-${i + 1}` : ''}.png`);
        await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').first()
          .scrollIntoViewIfNeeded({ timeout: 2000 }).catch(() => {});
        await withTimeout(page.screenshot({ path: file, timeout: 5000 }), 6000, 'failure screenshot')
          .then(() => log(`${this.name}: failure screenshot ${file}`)).catch(() => {});
      }
    }
    if (this.expectFailure) {
      log(`${this.name}: failed, as this test expects: ${err.message.split('\n')[0]}`);
    } else if (!err.serverDied && this.serverLog) {
      log(`${this.name}: FAILED: ${err.message.split('\n')[0]}\nlast lines of ${this.serverLog}:\n${tail(this.serverLog, 40)}`);
    }
  }

  // _cleanup stops the browser, the server, the kernels and anything else
  // that names the temporary folder, and removes it. It never throws.
  _cleanup() {
    if (this.cleaning) return this.cleaning;
    this.cleaning = (async () => {
      const t = Date.now();
      if (this.context) await withTimeout(this.context.close(), 10_000, 'closing Chromium').catch((e) => log(`closing Chromium: ${e.message}`));
      if (this.server) await this.server.stop();
      if (this.tmp) await killStragglers(this.tmp);
      if (this.tmp && process.env.E2E_KEEP !== '1') fs.rmSync(this.tmp, { recursive: true, force: true });
      else if (this.tmp) log(`${this.name}: kept the temporary copy ${this.tmp}`);
      log(`${this.name}: stopped the browser and the Jupyter server${this.tmp ? ', removed the temporary copy' : ''} in ${this.mark('cleanup', t)} s`);
    })();
    return this.cleaning;
  }

  // _trapSignals stops everything on SIGINT, SIGTERM and SIGHUP (then exits)
  // and kills what is left on a sudden exit. It returns {off}.
  _trapSignals() {
    const onSignal = (sig) => {
      if (this.interrupted) return;
      this.interrupted = sig;
      log(`${this.name}: ${sig}: stopping the browser and the Jupyter server`);
      withTimeout(this._cleanup(), 20_000, 'clean-up').catch(() => {}).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    };
    const onExit = () => {
      if (this.server) this.server.killNow();
      if (this.tmp) for (const pid of processesMentioning(this.tmp)) killGroup(pgidOf(pid) || pid, 'SIGKILL');
    };
    const sigs = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of sigs) process.on(s, onSignal);
    process.on('exit', onExit);
    return {
      off: () => {
        for (const s of sigs) process.off(s, onSignal);
        process.off('exit', onExit);
      },
    };
  }
}

// readPage reads the visible notebook of the page (it runs in the browser).
// Cells are numbered from 1 in notebook order, markdown cells included.
function readPage() {
  const panels = [...document.querySelectorAll('.jp-NotebookPanel')].filter((p) => !p.classList.contains('lm-mod-hidden'));
  const dialogs = [...document.querySelectorAll('.jp-Dialog')].map((d) => d.innerText.replace(/\s+/g, ' ').trim());
  if (panels.length !== 1) return { panels: panels.length, dialogs, cells: [] };
  const panel = panels[0];
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')].map((el, i) => {
    const code = el.classList.contains('jp-CodeCell');
    const src = [...el.querySelectorAll('.jp-InputArea-editor .cm-line')].map((l) => l.textContent);
    const outputs = [...el.querySelectorAll('.jp-OutputArea-output')].map((o) => ({
      mime: o.getAttribute('data-mime-type') || '', text: o.textContent,
    }));
    return {
      n: i + 1,
      code,
      prompt: code ? (el.querySelector('.jp-InputPrompt') || {}).textContent || '' : '',
      empty: src.join('').trim() === '',
      first: (src.find((l) => l.trim() && !/^(\/\/|%)/.test(l.trim())) || '').trim().slice(0, 60),
      outputs,
      images: el.querySelectorAll('.jp-OutputArea-output img').length,
      bars: [...el.querySelectorAll('.jp-OutputArea-output progress')].map((b) => ({
        title: (b.previousSibling ? b.previousSibling.textContent : '').trim(),
        value: b.hasAttribute('value') ? Number(b.getAttribute('value')) : null,
        max: b.hasAttribute('max') ? Number(b.getAttribute('max')) : null,
        label: (b.nextSibling ? b.nextSibling.textContent : '').trim(),
      })),
    };
  });
  return {
    panels: 1,
    dialogs,
    status: ind ? ind.getAttribute('data-status') : '',
    kernel: ((panel.querySelector('.jp-KernelName') || {}).textContent || '').trim(),
    cells,
    recorder: window.__e2e ? { ran: [...window.__e2e.ran], bars: window.__e2e.bars, crowded: window.__e2e.crowded } : null,
  };
}

// record starts recording what the visible notebook shows while it runs (it
// runs in the browser): the cells whose prompt showed "[*]" (ran), every
// distinct state of every progress bar in an output (bars), and the bars seen
// more than once at the same time in one cell (crowded). A MutationObserver
// sees each change of the page, so short-lived states are not missed.
function record() {
  const panel = [...document.querySelectorAll('.jp-NotebookPanel')].find((p) => !p.classList.contains('lm-mod-hidden'));
  const nbEl = panel.querySelector('.jp-Notebook');
  const rec = { t0: performance.now(), ran: new Set(), bars: [], crowded: [], last: new Map() };
  window.__e2e = rec;
  const scan = () => {
    const t = +((performance.now() - rec.t0) / 1000).toFixed(3);
    [...nbEl.querySelectorAll('.jp-Cell')].forEach((cell, i) => {
      const p = cell.querySelector('.jp-InputPrompt');
      if (p && p.textContent.includes('*')) rec.ran.add(i + 1);
      const seen = new Map();
      for (const bar of cell.querySelectorAll('.jp-OutputArea-output progress')) {
        const title = (bar.previousSibling ? bar.previousSibling.textContent : '').trim();
        seen.set(title, (seen.get(title) || 0) + 1);
        const s = {
          cell: i + 1, title, t,
          value: bar.hasAttribute('value') ? Number(bar.getAttribute('value')) : null,
          max: bar.hasAttribute('max') ? Number(bar.getAttribute('max')) : null,
          label: (bar.nextSibling ? bar.nextSibling.textContent : '').trim(),
        };
        const key = `${s.cell}\u0000${title}`;
        const sig = `${s.value}/${s.max} ${s.label}`;
        if (rec.last.get(key) !== sig) {
          rec.last.set(key, sig);
          rec.bars.push(s);
        }
      }
      for (const [title, k] of seen) if (k > 1 && rec.crowded.length < 50) rec.crowded.push({ cell: i + 1, title, count: k, t });
    });
  };
  new MutationObserver(scan).observe(nbEl, { subtree: true, childList: true, characterData: true, attributes: true });
  scan();
}

// Notebook is a notebook open in a page; see the top of this file.
export class Notebook {
  constructor(session, page, ui, rel, meta) {
    Object.assign(this, { session, page, ui, rel, meta });
    this.uiName = uis[ui].name;
    this.spec = (meta.metadata && meta.metadata.kernelspec) || {};
    this.cellCount = (meta.cells || []).length;
  }

  // figureCells returns the numbers (from 1) of the cells tagged "figure" in
  // the notebook file, as scripts/check-notebooks.py finds them.
  figureCells() {
    return this.meta.cells.map((c, i) => (((c.metadata && c.metadata.tags) || []).includes('figure') ? i + 1 : 0)).filter(Boolean);
  }

  // state reads the page (bounded).
  async state() {
    this.session.server.check();
    return this.session.server.guard(withTimeout(this.page.evaluate(readPage), 10_000, `reading the ${this.uiName} page`));
  }

  // waitKernel waits at most ms until the notebook shows all its cells and
  // the kernel named in its metadata, and the server has a session of that
  // kernel for the notebook. A dialog fails at once.
  async waitKernel(ms) {
    const deadline = Date.now() + ms;
    let s;
    let session;
    for (;;) {
      s = await this.state();
      if (s.dialogs.length) {
        throw new Error(`${this.uiName} shows a dialog while opening ${this.rel}, the kernel must be picked from the notebook's metadata ` +
          `(kernelspec ${JSON.stringify(this.spec)}): ${s.dialogs.join(' | ')}`);
      }
      if (s.panels === 1 && s.cells.length === this.cellCount && s.kernel === this.spec.display_name) {
        const sessions = await this.session.server.api('/api/sessions');
        session = sessions.find((x) => x.path === this.rel);
        if (session && session.kernel && session.kernel.name === this.spec.name) break;
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.uiName} did not show ${this.rel} with the kernel ${this.spec.display_name} within ${ms / 1000} s ` +
          `(notebook panels: ${s.panels}, cells: ${s.cells.length} of ${this.cellCount}, toolbar kernel: ${JSON.stringify(s.kernel)}, ` +
          `server session: ${session ? JSON.stringify(session.kernel) : 'none'})`);
      }
      await sleep(250);
    }
    this.kernelName = `${s.kernel} (${session.kernel.name}, status ${s.status || 'none'})`;
    return s;
  }

  // runAll clears the outputs the notebook was opened with (Edit > Clear
  // Outputs of All Cells: the notebooks are committed with their outputs, and
  // no check may pass on a committed one), starts recording (see record) and
  // clicks Run > Run All Cells in the menu bar, as a person would.
  async runAll() {
    await this.menu('Edit', /^Clear Outputs of All Cells/);
    const left = await withTimeout(this.page.locator('.jp-Notebook .jp-OutputArea-output').count(), 10_000, 'counting outputs');
    assert.equal(left, 0, `${left} outputs left after Edit > Clear Outputs of All Cells in ${this.uiName}`);
    await withTimeout(this.page.evaluate(record), 10_000, 'starting the recorder in the page');
    this.runStarted = Date.now();
    await this.menu('Run', /^Run All Cells/);
  }

  // menu clicks the item of the menu bar's menu title whose text matches item.
  async menu(title, item) {
    await this.page.locator('.lm-MenuBar-item', { hasText: new RegExp(`^${title}$`) }).click({ timeout: 10_000 });
    await this.page.locator('.lm-Menu-item:visible', { hasText: item }).click({ timeout: 10_000 });
    log(`${this.session.name}: clicked ${title} > ${item.source.replace(/^\^/, '')} in ${this.uiName}`);
  }

  // failures lists, for the cells that have finished, each error output, and
  // a dialog if one is shown. allowStderr (a RegExp) exempts stderr text.
  failures(s, allowStderr) {
    const out = s.dialogs.map((d) => `${this.uiName} shows a dialog: ${d}`);
    for (const c of s.cells) {
      if (!c.code || c.prompt.includes('*')) continue;
      for (const o of c.outputs) {
        if (o.mime !== 'application/vnd.jupyter.stderr') continue;
        if (allowStderr && allowStderr.test(o.text)) continue;
        // pkg/cache's one-line reports (an entry computed again because the code or
        // the data changed) are notices on stderr, not errors.
        if (o.text.split('\n').every((l) => l.trim() === '' || CACHE_REPORT.test(l))) continue;
        out.push(`cell ${c.n} (${c.first}) shows an error output:\n${o.text.trim().slice(0, 2000)}`);
      }
    }
    return out;
  }

  // waitDone waits, at most E2E_RUN_TIMEOUT, until every non-empty code cell
  // has run (its prompt showed [*] and now shows a number) and the kernel is
  // idle on two reads in a row. It fails at once on an error output of a
  // finished cell, a dialog or a dead kernel, and returns the last state.
  // It reads the page every 250 ms and passes each state to onPoll, if given.
  async waitDone({ allowStderr, onPoll } = {}) {
    const ms = this.session.left(bounds.run);
    const deadline = Date.now() + ms;
    let lastLog = Date.now();
    let idle = 0;
    for (;;) {
      const s = await this.state();
      if (onPoll) await onPoll(s);
      const fails = this.failures(s, allowStderr);
      if (fails.length) throw new Error(`${fails.join('\n')}\ncells:\n${describe(s)}`);
      if (/dead|disconnected|terminating/.test(s.status)) throw new Error(`the kernel status is ${s.status} while running\ncells:\n${describe(s)}`);
      const want = s.cells.filter((c) => c.code && !c.empty);
      const ran = new Set(s.recorder ? s.recorder.ran : []);
      const done = want.filter((c) => ran.has(c.n) && /^\[\d+\]/.test(c.prompt.trim()));
      idle = done.length === want.length && s.status === 'idle' ? idle + 1 : 0;
      if (idle >= 2) {
        this.session.mark(`run_${this.ui}`, this.runStarted);
        log(`${this.session.name}: all ${want.length} code cells ran in ${this.uiName} in ${this.session.times[`run_${this.ui}`]} s`);
        return s;
      }
      if (Date.now() > deadline) {
        throw new Error(`the cells did not finish within ${ms / 1000} s of Run All (${done.length} of ${want.length} ran, kernel ${s.status})\ncells:\n${describe(s)}`);
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`${this.session.name}: running in ${this.uiName}: ${done.length}/${want.length} code cells done, kernel ${s.status}`);
      }
      await sleep(250);
    }
  }

  // stdoutLines returns the lines of the stdout outputs, in notebook order.
  stdoutLines(s) {
    return s.cells.flatMap((c) => c.outputs.filter((o) => o.mime === 'application/vnd.jupyter.stdout'))
      .flatMap((o) => o.text.split('\n'));
  }

  // checkResults asserts that the stdout of state s shows the notebook's
  // result lines of results (see results.mjs) and returns {values, shown}.
  checkResults(results, s) {
    const { values, shown, problems } = checkLines(results, this.rel, this.stdoutLines(s));
    assert.deepEqual(problems, [], `result lines in ${this.uiName}:\n${problems.join('\n')}\ncells:\n${describe(s)}`);
    log(`${this.session.name}: ${Object.values(shown).join(' | ')}`);
    return { values, shown };
  }

  // figureImages asserts that the notebook's image outputs are one in each
  // cell tagged "figure", as many as results lists figures for the notebook,
  // and returns them (see images), each with its figure's entry as figure.
  async figureImages(results) {
    const figures = expectedFor(results, this.rel).figures;
    const cells = this.figureCells();
    assert.equal(cells.length, figures.length,
      `${this.rel} has ${cells.length} cells tagged "figure", testdata/notebook_results.json lists ${figures.length} figures`);
    const imgs = await this.images();
    assert.deepEqual(imgs.map((i) => i.cell), cells,
      `image outputs by cell, want one in each figure cell ${cells.join(', ')}:\n${JSON.stringify(imgs)}`);
    return imgs.map((img, k) => ({ ...img, figure: figures[k] }));
  }

  // images returns every image output of the notebook, in order: its cell,
  // whether it loaded, its natural size and the number of distinct colours on
  // a grid of about 20000 samples (a blank image has one or two). It waits at
  // most 5 s for each image to load.
  async images() {
    return withTimeout(this.page.evaluate(async () => {
      const panel = [...document.querySelectorAll('.jp-NotebookPanel')].find((p) => !p.classList.contains('lm-mod-hidden'));
      const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
      const out = [];
      for (const [i, cell] of cells.entries()) {
        for (const el of cell.querySelectorAll('.jp-OutputArea-output img')) {
          if (!el.complete || el.naturalWidth === 0) await new Promise((r) => { el.onload = r; el.onerror = r; setTimeout(r, 5000); });
          let colours = -1;
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
          } catch { /* a tainted or broken image */ }
          out.push({
            index: out.length, cell: i + 1, complete: el.complete, naturalWidth: el.naturalWidth, naturalHeight: el.naturalHeight,
            colours, src: (el.getAttribute('src') || '').slice(0, 22),
          });
        }
      }
      return out;
    }), 60_000, 'reading the image outputs');
  }

  // cellLocator returns the locator of cell n (from 1, markdown cells included).
  cellLocator(n) {
    return this.page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').nth(n - 1);
  }

  // outputLocator returns the locator of the first output that contains text.
  outputLocator(text) {
    return this.page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output', { hasText: text }).first();
  }

  // imageLocator returns the locator of the image img (from images).
  imageLocator(img) {
    return this.page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img').nth(img.index);
  }

  // reveal scrolls the image img (from images) into view as a person would
  // and returns its box, whether it lies in the viewport and whether it is
  // the element a person sees at its centre (not covered by anything).
  async reveal(img) {
    const loc = this.imageLocator(img);
    await this.scrollTo(loc);
    return withTimeout(loc.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const vw = window.innerWidth;
      const vh = window.innerHeight;
      const inViewport = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= vw && r.bottom <= vh;
      const atCentre = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return {
        shown: { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) },
        viewport: { width: vw, height: vh }, inViewport, onTop: atCentre === el,
      };
    }), 10_000, 'reading where the image is shown');
  }

  // scrollTo scrolls the element of locator into view and waits, at most
  // 3 s, until its box stays put for 200 ms (the notebook may scroll
  // smoothly and lay out cells late); it returns the box.
  async scrollTo(locator) {
    await locator.scrollIntoViewIfNeeded({ timeout: 10_000 });
    let box = await locator.boundingBox({ timeout: 5000 });
    for (const end = Date.now() + 3000; Date.now() < end;) {
      await sleep(200);
      const next = await locator.boundingBox({ timeout: 5000 });
      if (JSON.stringify(next) === JSON.stringify(box)) break;
      box = next;
    }
    return box;
  }

  // screenshot saves what the page shows now (the viewport) to build/e2e/name,
  // or, with a locator, the part of it where that element is, once scrolled to.
  async screenshot(name, locator) {
    const file = this.session.out(name);
    if (locator) {
      const box = await this.scrollTo(locator);
      assert.ok(box, `${name}: the element to photograph is not shown`);
      await this.page.screenshot({ path: file, clip: box, timeout: 20_000 });
    } else {
      await this.page.screenshot({ path: file, timeout: 20_000 });
    }
    log(`${this.session.name}: screenshot ${file}`);
    return file;
  }
}

// describe summarises the cells of a state for an error message.
export function describe(s) {
  return s.cells.filter((c) => c.code).map((c) => `  cell ${c.n}: ${c.prompt.trim() || '[ ]:'}${c.empty ? ' (empty)' : ''} ${c.first}` +
    `${c.images ? `, ${c.images} image(s)` : ''}${c.outputs.length ? `, output: ${JSON.stringify(c.outputs.map((o) => o.text).join('').slice(0, 160))}` : ''}`).join('\n');
}
