// Process plumbing of the browser tests: bounded waits, a log, a temporary
// copy of the repository, a JupyterLab server (which also serves Notebook 7)
// in its own process group, and the clean-up of every process a test started.
// Every wait here has a bound and every process started here is stopped by
// its own id (process group), pass or fail. The browser side (a session,
// opening a notebook in a UI, Run All, outputs, screenshots) is in
// notebook.mjs, which is what a test imports.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// seconds reads a duration in seconds from the environment variable name,
// or returns def.
export function seconds(name, def) {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`e2e: ${name}=${v} is not a positive number of seconds`);
  return n;
}

const t0 = Date.now();
let logFile = null;

// setLogFile makes log also append its lines to the file at p.
export function setLogFile(p) {
  logFile = p;
}

// log prints a line prefixed with the seconds since the harness was loaded
// (and appends it to the log file, if set: it survives a killed test runner).
export function log(...args) {
  const line = `[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${args.join(' ')}`;
  console.log(line);
  if (logFile) {
    try { fs.appendFileSync(logFile, line + '\n'); } catch { /* best effort */ }
  }
}

// sleep resolves after ms milliseconds.
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// withTimeout resolves like p, or rejects with an Error saying what did not
// finish within ms milliseconds.
export function withTimeout(p, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${(ms / 1000).toFixed(0)} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

// which returns the absolute path of an executable found in PATH, or null.
export function which(cmd, pathEnv = process.env.PATH || '') {
  if (cmd.includes('/')) return isExecutable(cmd) ? cmd : null;
  for (const dir of pathEnv.split(':')) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

// run runs a command synchronously and returns its trimmed stdout, or throws
// an Error with its stderr.
export function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, ...opts }).trim();
}

// copyRepo copies the repository at src into a new directory dst: the files
// git tracks plus untracked files git does not ignore (so build/ and
// node_modules/ stay out), or, when src is not a git checkout, every file
// except .git, build and node_modules. The copy is not a git checkout.
// It returns the number of files copied.
export function copyRepo(src, dst) {
  let files;
  try {
    const out = execFileSync('git', ['-C', src, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, timeout: 60_000,
    });
    files = out.split('\0').filter(Boolean);
  } catch {
    files = walk(src, '');
  }
  let n = 0;
  for (const rel of files) {
    const from = path.join(src, rel);
    let st;
    try {
      st = fs.lstatSync(from);
    } catch {
      continue; // tracked but deleted in the work tree
    }
    const to = path.join(dst, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (st.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(from), to);
    } else if (st.isFile()) {
      fs.copyFileSync(from, to);
      fs.chmodSync(to, st.mode & 0o7777);
    } else {
      continue;
    }
    n++;
  }
  return n;
}

function walk(root, rel) {
  const skip = new Set(['.git', 'build', 'node_modules']);
  const out = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...walk(root, r));
    else out.push(r);
  }
  return out;
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// httpGet fetches url and resolves to {status, body}; it rejects on a
// connection error (err.code, e.g. ECONNREFUSED) or after ms milliseconds.
export function httpGet(url, ms = 3000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: ms }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`GET ${url}: timed out after ${ms} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

// tail returns the last n lines of the file at p ('' if unreadable).
export function tail(p, n = 25) {
  try {
    const lines = fs.readFileSync(p, 'utf8').split('\n');
    return lines.slice(-n - 1).join('\n').trimEnd();
  } catch {
    return '';
  }
}

// processesMentioning returns the pids of processes whose command line
// contains needle (a path unique to this test run), excluding this process.
export function processesMentioning(needle) {
  const pids = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(needle)) pids.push(pid);
    } catch {
      // gone
    }
  }
  return pids;
}

// pgidOf returns the process group of pid, or 0 if it is gone.
export function pgidOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[2]);
  } catch {
    return 0;
  }
}

// alive reports whether pid exists.
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// killGroup sends sig to the process group pgid, never to this process's own
// group. It reports whether the signal was delivered.
export function killGroup(pgid, sig) {
  if (!pgid || pgid <= 1 || pgid === pgidOf(process.pid)) return false;
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

// jupyterDirs returns the environment variables that give a Jupyter server
// its own runtime, config, data, JupyterLab settings and workspaces folders
// under dir (created here), so that nothing of the user's ~/.jupyter or
// ~/.local/share/jupyter (an old kernel spec, a saved layout) takes part:
// kernel specs come from the server's environment (its sys.prefix) only. The
// JupyterLab settings turn off the news and update notifications (they would
// ask for the network and cover part of the page in a screenshot).
export function jupyterDirs(dir) {
  const d = {
    JUPYTER_RUNTIME_DIR: path.join(dir, 'jupyter-runtime'),
    JUPYTER_CONFIG_DIR: path.join(dir, 'jupyter-config'),
    JUPYTER_DATA_DIR: path.join(dir, 'jupyter-data'),
    JUPYTERLAB_SETTINGS_DIR: path.join(dir, 'jupyterlab-settings'),
    JUPYTERLAB_WORKSPACES_DIR: path.join(dir, 'jupyterlab-workspaces'),
  };
  for (const v of Object.values(d)) fs.mkdirSync(v, { recursive: true });
  const notif = path.join(d.JUPYTERLAB_SETTINGS_DIR, '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(notif, { recursive: true });
  fs.writeFileSync(path.join(notif, 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false }) + '\n');
  return d;
}

// JupyterServer is a `jupyter lab` server (JupyterLab 4 at /lab, Notebook 7 at
// /notebooks and /tree) started by this test in its own process group, on
// 127.0.0.1 with a token, serving root, with the folders of jupyterDirs(dir),
// at the server's root or, with baseUrl, under that prefix (as Binder and
// JupyterHub serve it: /user/<name>/); base is the address of that prefix.
export class JupyterServer {
  // constructor takes {exe (jupyter-lab), root, dir, port, token, env, logFile, baseUrl (default "/")}.
  constructor(o) {
    Object.assign(this, o);
    this.dirs = jupyterDirs(o.dir);
    this.runtimeDir = this.dirs.JUPYTER_RUNTIME_DIR;
    this.child = null;
    this.exited = null; // {code, signal, at} once the process has exited
    this.stopping = false;
    this.deathReason = null;
    this._onDeath = [];
    this.baseUrl = `/${(o.baseUrl || '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
    this.base = `http://127.0.0.1:${o.port}${this.baseUrl.replace(/\/$/, '')}`;
  }

  // start spawns the server. It returns at once; use waitReady.
  start() {
    const args = [
      '--no-browser', '--ip=127.0.0.1', `--port=${this.port}`, '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${this.token}`, `--ServerApp.root_dir=${this.root}`,
      // No calls to the network from the server: no news feed, no update check.
      '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    ];
    if (this.baseUrl !== '/') args.push(`--ServerApp.base_url=${this.baseUrl}`);
    if (process.getuid && process.getuid() === 0) args.push('--allow-root');
    const out = fs.openSync(this.logFile, 'a');
    const env = { ...this.env, ...this.dirs };
    this.child = spawn(this.exe, args, { cwd: this.root, env, detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.pid = this.child.pid;
    this.child.on('exit', (code, signal) => {
      this.exited = { code, signal, at: Date.now() };
      if (!this.stopping) this._die(`the Jupyter server (pid ${this.pid}) exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
    });
    this.child.on('error', (err) => {
      this.exited = { code: null, signal: null, at: Date.now() };
      this._die(`the Jupyter server could not be started (${this.exe}): ${err.message}`);
    });
    // A bounded health probe: two refused connections in a row mean the server is gone.
    this._refused = 0;
    this._probe = setInterval(() => this._health(), 2000);
    this._probe.unref();
    this._startWatchdog();
  }

  // api fetches the server's REST path (e.g. /api/sessions) with the token and
  // returns the parsed JSON, or throws naming the status.
  async api(p, ms = 5000) {
    const r = await httpGet(`${this.base}${p}${p.includes('?') ? '&' : '?'}token=${this.token}`, ms);
    if (r.status !== 200) throw new Error(`GET ${p}: HTTP ${r.status}`);
    return JSON.parse(r.body);
  }

  // died returns a promise that rejects with a clear Error when the server
  // dies (process exit or refused connections) before stop is called.
  died() {
    if (!this._diedPromise) {
      this._diedPromise = new Promise((_, reject) => {
        if (this.deathReason) reject(this._deathError());
        else this._onDeath.push(() => reject(this._deathError()));
      });
      this._diedPromise.catch(() => {});
    }
    return this._diedPromise;
  }

  // guard resolves like p unless the server dies first.
  guard(p) {
    return Promise.race([p, this.died()]);
  }

  // check throws if the server has died.
  check() {
    if (this.deathReason) throw this._deathError();
  }

  _deathError() {
    const e = new Error(`${this.deathReason}; last lines of ${this.logFile}:\n${tail(this.logFile, 15)}`);
    e.serverDied = true;
    return e;
  }

  _die(reason) {
    if (this.deathReason || this.stopping) return;
    this.deathReason = reason;
    this.diedAt = Date.now();
    log(`FAIL FAST: ${reason}`);
    for (const f of this._onDeath.splice(0)) f();
  }

  async _health() {
    if (this.stopping || this.deathReason || !this.ready) return;
    try {
      await httpGet(`${this.base}/api/status?token=${this.token}`, 5000);
      this._refused = 0;
    } catch (e) {
      if (this.stopping) return;
      if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET') {
        if (++this._refused >= 2) this._die(`the Jupyter server at ${this.base} refuses connections (${e.code})`);
      }
    }
  }

  // _startWatchdog starts a small shell that stops the server's process group
  // if this test process disappears without cleaning up (e.g. SIGKILL).
  _startWatchdog() {
    const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
      'kill -0 "$2" 2>/dev/null || exit 0; kill -TERM -"$2" 2>/dev/null; sleep 10; kill -KILL -"$2" 2>/dev/null; exit 0';
    this.watchdog = spawn('/bin/sh', ['-c', script, 'e2e-watchdog', String(process.pid), String(this.pid)], {
      detached: true, stdio: 'ignore',
    });
    this.watchdog.on('error', () => {});
    this.watchdog.unref();
  }

  // waitReady polls /api/status with the token until it answers 200, for at
  // most ms milliseconds; it fails at once if the server process exits.
  async waitReady(ms) {
    const deadline = Date.now() + ms;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      this.check();
      try {
        const r = await httpGet(`${this.base}/api/status?token=${this.token}`, 2000);
        if (r.status === 200) {
          this.ready = true;
          return JSON.parse(r.body);
        }
        last = `HTTP ${r.status}`;
      } catch (e) {
        last = e.code || e.message;
      }
      await sleep(250);
    }
    this.check();
    throw new Error(`the Jupyter server did not answer ${this.base}/api/status within ${ms / 1000} s (last: ${last}); ` +
      `last lines of ${this.logFile}:\n${tail(this.logFile, 15)}`);
  }

  // kernelPids returns the pids of kernel processes this server started
  // (their command lines name a connection file in this server's runtime dir).
  kernelPids() {
    return processesMentioning(this.runtimeDir);
  }

  // stop stops the server (SIGTERM to its group, then SIGKILL after graceMs),
  // then any kernel it left behind, then the watchdog. It never throws.
  async stop(graceMs = 10_000) {
    if (this.stopping) return this._stopped;
    this.stopping = true;
    this._stopped = (async () => {
      clearInterval(this._probe);
      const kernelsBefore = this.kernelPids();
      if (this.pid && !this.exited) {
        killGroup(this.pid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (!this.exited && Date.now() < deadline) await sleep(100);
        if (!this.exited) {
          log(`the Jupyter server did not stop within ${graceMs / 1000} s of SIGTERM: SIGKILL`);
          killGroup(this.pid, 'SIGKILL');
          const d2 = Date.now() + 5000;
          while (!this.exited && Date.now() < d2) await sleep(100);
        }
      }
      // Kernels run in their own sessions: a server that was killed cannot stop them.
      await killKernels([...new Set([...kernelsBefore, ...this.kernelPids()])]);
      if (this.watchdog && this.watchdog.pid) killGroup(this.watchdog.pid, 'SIGTERM');
    })();
    return this._stopped;
  }

  // killNow is the synchronous last resort used from process 'exit'.
  killNow() {
    if (this.pid && !this.exited) killGroup(this.pid, 'SIGKILL');
    for (const pid of this.kernelPids()) killGroup(pgidOf(pid) || pid, 'SIGKILL');
    if (this.watchdog && this.watchdog.pid) killGroup(this.watchdog.pid, 'SIGKILL');
  }
}

// killStragglers stops the process groups of every process whose command line
// mentions needle (a directory unique to this run: the browser profile, the
// kernel connection files, the notebook directory): SIGTERM, then SIGKILL
// after graceMs. It returns the pids it found.
export async function killStragglers(needle, graceMs = 3000) {
  const pids = processesMentioning(needle);
  await killKernels(pids, 'process(es) of this run', graceMs);
  return pids;
}

async function killKernels(pids, what = 'kernel process(es)', graceMs = 5000) {
  const live = pids.filter(alive);
  if (live.length === 0) return;
  const groups = [...new Set(live.map((p) => pgidOf(p) || p))];
  log(`stopping ${live.length} ${what} left behind: pids ${live.join(', ')}`);
  for (const g of groups) killGroup(g, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (live.some(alive) && Date.now() < deadline) await sleep(100);
  for (const g of groups) killGroup(g, 'SIGKILL');
}

// goBinDirs returns the directories holding the Go tool and the installed Go
// binaries (GOBIN, else GOPATH/bin), for the kernel's PATH: GoNB needs go and
// goimports.
export function goBinDirs() {
  const dirs = [];
  const go = which('go') || (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) return dirs;
  dirs.push(path.dirname(go));
  try {
    const gobin = run(go, ['env', 'GOBIN']);
    dirs.push(gobin || path.join(run(go, ['env', 'GOPATH']).split(':')[0], 'bin'));
  } catch {
    dirs.push(path.join(os.homedir(), 'go', 'bin'));
  }
  return dirs;
}
