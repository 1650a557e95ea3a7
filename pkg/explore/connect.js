// connect.js runs in the page before the Go side subscribes to its first
// address (which makes GoNB install gonb_comm, its connection to the
// kernel). cfg is {hello, nonce, ms, ackMs}. It works around two faults of
// GoNB v0.11.4's gonb_comm (internal/websocket/websocket.js), wrapping the
// page's WebSocket once so that it sees gonb_comm being made:
//
// 1. gonb_comm opens "ws://" + location.host + "/api/kernels/<id>/channels":
//    no wss:// on an https page and no base URL, so it cannot connect on
//    Binder or JupyterHub (https, a /user/<name>/ prefix). That one address
//    is rewritten to the one JupyterLab itself uses for the kernel, from its
//    page config (#jupyter-config-data: baseUrl, wsUrl). Every other
//    WebSocket, and GoNB's where the two agree (http at the server's root),
//    is left as it is.
// 2. gonb_comm gives the kernel 500 ms to acknowledge its comm_open and
//    closes for good after that; on a loaded machine the acknowledgement
//    can come later. The same wait, with cfg.ackMs, replaces it.
//
// Then the handshake: it sends cfg.nonce to cfg.hello through gonb_comm as
// soon as it exists, and again every 250 ms (a gonb_comm of a previous kernel
// may linger until GoNB replaces it) until the panel is bound or cfg.ms
// have passed. The Go side waits for it with the same bound.
(cfg) => {
  const Native = globalThis.WebSocket;
  if (Native && !Native.softmaxMnistRewrite) {
    let page = {};
    try {
      page = JSON.parse(document.getElementById('jupyter-config-data').textContent);
    } catch (e) {
      page = {};
    }
    const base = new URL(page.baseUrl || '/', document.location.href).href;
    let ws = page.wsUrl || (base.startsWith('http') ? 'ws' + base.slice(4) : '');
    if (ws && !ws.endsWith('/')) ws += '/';
    const gonb = 'ws://' + document.location.host + '/api/kernels/';
    // patchAck lengthens gonb_comm's wait for the kernel's acknowledgement.
    const patchAck = (comm) => {
      if (!comm || typeof comm._wait_open_ack !== 'function') return;
      comm._wait_open_ack = function () {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(Error('comm_open_ack not received in time')), cfg.ackMs);
          this._onopen_ack = () => {
            clearTimeout(timer);
            resolve(null);
          };
        });
      };
    };
    const rewrite = (url) => {
      if (typeof url !== 'string' || !url.startsWith(gonb) || !url.endsWith('/channels')) return url;
      const id = url.slice(gonb.length, -'/channels'.length);
      if (!id || id.includes('/')) return url;
      // GoNB's script assigns globalThis.gonb_comm just before it opens the
      // socket, and its methods after: patch once the script has run, long
      // before the socket opens and the wait starts.
      const comm = globalThis.gonb_comm;
      if (comm && comm._ws_url === url) queueMicrotask(() => patchAck(comm));
      if (!ws) return url;
      let fixed = ws + 'api/kernels/' + id + '/channels';
      // JupyterLab sends the token in the URL only to another host; the same
      // host has the login cookie.
      if (page.token && new URL(fixed).host !== document.location.host) {
        fixed += '?token=' + encodeURIComponent(page.token);
      }
      return fixed;
    };
    class Rewritten extends Native {
      constructor(url, protocols) {
        if (protocols === undefined) super(rewrite(url));
        else super(rewrite(url), protocols);
      }
    }
    Rewritten.softmaxMnistRewrite = rewrite;
    globalThis.WebSocket = Rewritten;
  }

  const bound = (globalThis.softmaxMnistBound ||= {});
  const deadline = Date.now() + cfg.ms;
  const hello = () => {
    if (bound[cfg.nonce] || Date.now() > deadline) return;
    const comm = globalThis.gonb_comm;
    if (comm) comm.send(cfg.hello, cfg.nonce);
    setTimeout(hello, comm ? 250 : 25);
  };
  hello();
}
