// Package display shows figures, tables and progress bars in a GoNB (Go
// Jupyter kernel) notebook. It and pkg/explore (the interactive panel) are the
// only packages of the module that import GoNB's gonbui, so the others do not
// depend on the kernel.
//
// In a notebook (IsNotebook), Figure and Image show a PNG inline (an SVG as
// HTML, the way gonbui shows SVG), Table shows an HTML table and a Bar updates
// one output block in place; each call that displays something waits with
// gonbui.Sync until GoNB has received the output, because output sent just
// before a cell's program exits can be lost (GoNB v0.11.4).
//
// Outside a notebook (go run, go test) the same calls do something useful
// instead: figures are written to files in Dir, tables and progress are
// printed as text to Out.
//
//	err := display.Figure(plots.Weights(model.Coef, nil))
package display
