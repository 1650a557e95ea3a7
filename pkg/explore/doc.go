// Package explore is the interactive panel of notebooks/explore.ipynb: a
// regularisation explorer and a "draw a digit" panel in one GoNB notebook
// cell, redrawn in place as the reader moves the controls.
//
//	sp, err := experiment.Load(nil)                // the port's data, through the cache
//	...
//	model, err := explore.PortModel(sp)          // the port's L2 model
//	...
//	err = explore.Run(sp, model, nil)
//
// # The panel
//
// The regularisation explorer has a slider over C on a log scale (MinLogC
// to MaxLogC decades, LogCStep apart), the penalty (L2 fitted with SAG, L1
// with SAGA, both with Tol) and the training-set size (Sizes). Every change
// refits and redraws: the ten weight images with their colour scale (Greys
// for L2; RdBu for L1, where exact zeros are white), the sparsity, the test accuracy on the
// 10000 test images, and the path of the settings tried so far for the
// current penalty and size (test accuracy and sparsity against C). A fit
// that runs longer than a moment, and every fit on 50000 images, shows a
// progress bar. A newer change supersedes a running fit: one request waits
// at most, the newest, and the running fit stops at the end of its epoch (an
// epoch of SAGA on 50000 images takes about half a second).
//
// The draw panel has a 280x280 canvas. After every stroke the page sends
// the canvas as a PNG data URL; drawing.Normalize turns it into an MNIST
// image as LeCun's digits were made, and the panel shows the ten class
// probabilities of the model, the predicted digit and the 28x28 image the
// model saw.
//
// # Live or headless
//
// A cell program cannot ask GoNB whether a browser shows its output:
// gonbui.IsNotebook is true for every cell program, also under nbconvert,
// and GoNB installs its connection to the page (gonb_comm) without telling
// the program whether it opened. Run tells the two cases apart in two
// steps:
//
//  1. If the environment variable HeadlessEnv (SOFTMAX_MNIST_HEADLESS) is
//     set, there is no browser. scripts/run-notebooks.sh sets it; GoNB
//     passes the kernel's environment to cell programs.
//  2. Otherwise a handshake: the page is sent a script that answers with a
//     token through gonb_comm; Run waits for it at most
//     Settings.Handshake (DefaultHandshake).
//
// Without a browser Run shows the panel's initial state (the weights at
// DefaultChoice, an empty canvas, the controls disabled) with a note that
// it needs a live notebook, and returns within seconds.
//
// # How the page and Go talk
//
// Everything runs on GoNB's own front-end channel, gonbui/comms: the page
// sends JSON strings to addresses unique to the run, and the Go side sends
// back the HTML of the part to redraw, which the page puts in place. The HTML, styles and the two scripts (panel.js, connect.js) are
// embedded in the package; nothing is loaded from the network. Go renders
// all of the HTML; the scripts only bind the controls. The panel is shown
// with gonbui.UpdateHtml and, when the reader stops it, redrawn once more,
// inert, as it was last: that is what a saved notebook keeps.
//
// connect.js and panel.js work around three faults of GoNB v0.11.4's
// gonb_comm. It connects to ws://<host>/api/kernels/..., which fails on an
// https page and under a base URL (Binder, JupyterHub): connect.js wraps the
// page's WebSocket so that this one address is rewritten to the one
// JupyterLab uses for the kernel (from its page config), and changes nothing
// where the two agree. It gives the kernel 500 ms to acknowledge the
// connection and gives up for good after that: the wrapper lengthens that
// wait to 4 s, and while Run waits for the handshake it sends through GoNB
// every 4 s, which makes the kernel check the connection and install
// gonb_comm again where the page gave up. And before the kernel sends to a page that has
// been silent for a second it checks the connection, with 500 ms for the
// answer, and else installs a new gonb_comm: panel.js keeps the page audible
// (a message every 700 ms to an address no one subscribes to, which the
// kernel drops), sends through the current gonb_comm and subscribes again on
// a new one. If the connection still does not open, the handshake fails and
// Run shows the initial state with a note saying so.
//
// GoNB's %wasm mode was not used: with Go 1.24 and later it cannot find
// wasm_exec.js, and a program running in the page could not read the model
// or MNIST from disk.
package explore
