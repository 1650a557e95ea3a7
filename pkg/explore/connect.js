// connect.js runs in the page before the Go side subscribes to its first
// address (which makes GoNB install gonb_comm, its connection to the
// kernel). It does two things; cfg is {hello, nonce, ms}.
//
// 1. GoNB v0.11.4's gonb_comm opens "ws://" + location.host +
//    "/api/kernels/<id>/channels": no wss:// on an https page and no base
//    URL, so it cannot connect on Binder or JupyterHub (https, a
//    /user/<name>/ prefix). The kernel's own connection is made by
//    JupyterLab from its page config (#jupyter-config-data: baseUrl,
//    wsUrl). WebSocket is wrapped, once per page, so that exactly that
//    GoNB address is rewritten to the address JupyterLab itself would use;
//    every other WebSocket, and GoNB's on a plain http page at the server's
//    root, where the two agree, are left as they are.
// 2. The handshake: it sends cfg.nonce to cfg.hello through gonb_comm as
//    soon as it exists, and again every 250 ms (a gonb_comm of a previous
//    kernel may linger until GoNB replaces it) until the panel is bound or
//    cfg.ms have passed. The Go side waits for it with the same bound.
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
    const rewrite = (url) => {
      if (!ws || typeof url !== 'string' || !url.startsWith(gonb) || !url.endsWith('/channels')) return url;
      const id = url.slice(gonb.length, -'/channels'.length);
      if (!id || id.includes('/')) return url;
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
