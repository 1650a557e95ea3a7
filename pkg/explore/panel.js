// panel.js binds the controls of a live panel to the Go side. The Go side
// renders every piece of HTML; this script only sends the reader's changes
// and puts the redraws in place. cfg is {id, nonce, choice, canvas, stop,
// show, alive, idleMs}: the prefix of the panel's element ids, the
// handshake's nonce, the comms addresses of this run and the Go side's idle
// timeout.
//
// Messages to Go (strings of JSON, numbered from 1 in the order they were made):
//   choice  {seq, logC, penalty, size}   after every move of a control
//   canvas  {seq, url} or {seq, clear}   after every stroke, and on Clear
//   stop    "stop"                       the Stop button
//   alive   "1"                          every 700 ms, to no subscriber (below)
// Messages from Go, on cfg.show: {target, seq, html, ms}; target is the
// part to redraw ("fit", "progress", "draw", "status"). A part keeps the
// newest: a message older than the one shown is dropped.
//
// GoNB v0.11.4 checks the connection before it sends to the page when the
// page has been silent for a second, gives the page 500 ms to answer, and
// else installs a new gonb_comm in place of the old one. So the panel stays
// audible (alive, which the kernel drops), always sends through the current
// gonb_comm and subscribes to its redraws again on a new one.
(cfg) => {
  const root = document.getElementById(cfg.id);
  if (!globalThis.gonb_comm || !root) return;
  (globalThis.softmaxMnistBound ||= {})[cfg.nonce] = true;

  let comm = null; // the gonb_comm the redraws are subscribed on
  const current = () => {
    const c = globalThis.gonb_comm;
    if (c && c !== comm) {
      comm = c;
      comm.subscribe(cfg.show, (address, value) => redraw(value));
    }
    return comm;
  };
  // Times the page sent each message, to show how long an answer took.
  const sent = { fit: new Map(), draw: new Map() };
  let lastInput = Date.now();
  const send = (address, kind, msg) => {
    sent[kind].set(msg.seq, performance.now());
    lastInput = Date.now();
    current()?.send(address, JSON.stringify(msg));
  };
  const alive = setInterval(() => {
    const now = document.getElementById(cfg.id);
    if (!now || now.dataset.live !== 'true' || Date.now() - lastInput > cfg.idleMs + 60000) {
      clearInterval(alive);
      return;
    }
    current()?.send(cfg.alive, '1');
  }, 700);

  // JupyterLab's command mode takes arrow keys (ArrowLeft and ArrowRight
  // move between headings) on their way up from a focused control: keep the
  // keys of the slider, the selects and the buttons to them.
  root.addEventListener('keydown', (e) => {
    if (e.target.matches('input, select, button')) e.stopPropagation();
  });

  const el = (name) => document.getElementById(cfg.id + '_' + name);

  // Regularisation: the slider is log10(C).
  const logc = el('logc');
  const label = el('clabel');
  const penalty = el('penalty');
  const size = el('size');
  let seq = 0;
  const choose = () => {
    const v = Number(logc.value);
    label.textContent = String(Number(Math.pow(10, v).toPrecision(2)));
    send(cfg.choice, 'fit', { seq: ++seq, logC: v, penalty: penalty.value, size: Number(size.value) });
  };
  logc.addEventListener('input', choose);
  penalty.addEventListener('change', choose);
  size.addEventListener('change', choose);

  // Draw: white strokes on a transparent canvas (its CSS background is
  // black), as pkg/drawing reads ink.
  const canvas = el('canvas');
  const ctx = canvas.getContext('2d');
  ctx.lineWidth = 22;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#fff';
  let dseq = 0;
  let down = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    down = e.pointerId;
    canvas.setPointerCapture(e.pointerId);
    const [x, y] = at(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y);
    ctx.stroke();
    e.preventDefault();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (down !== e.pointerId) return;
    const [x, y] = at(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const end = (e) => {
    if (down !== e.pointerId) return;
    down = null;
    send(cfg.canvas, 'draw', { seq: ++dseq, url: canvas.toDataURL('image/png') });
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  el('clear').addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    send(cfg.canvas, 'draw', { seq: ++dseq, clear: true });
  });

  el('stop').addEventListener('click', () => {
    for (const c of root.querySelectorAll('input, select, button')) c.disabled = true;
    el('status').textContent = 'stopping...';
    current()?.send(cfg.stop, 'stop');
  });

  // Redraws from Go.
  const redraw = (value) => {
    let m;
    try {
      m = JSON.parse(value);
    } catch (e) {
      return;
    }
    const part = el(m.target);
    if (!part || m.seq < Number(part.dataset.seq || 0)) return;
    part.innerHTML = m.html;
    part.dataset.seq = m.seq;
    const times = sent[m.target];
    if (times && times.has(m.seq)) {
      const pageMs = Math.round(performance.now() - times.get(m.seq));
      part.dataset.pageMs = pageMs;
      part.dataset.goMs = Math.round(m.ms || 0);
      const t = part.querySelector('.sme-time');
      if (t) t.textContent = `; shown ${pageMs} ms after the change, ${Math.round(m.ms || 0)} ms of it in Go`;
    }
    if (m.target === 'fit' && m.seq >= Number(el('progress').dataset.seq || 0)) {
      el('progress').innerHTML = '';
      el('progress').dataset.seq = m.seq;
    }
  };
  current();
}
