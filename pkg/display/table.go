package display

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/janpfeifer/gonb/gonbui"
)

// Table shows a table: rows of cells, under an optional header row (nil for
// none) and an optional caption (""). In a notebook it is an HTML table (see
// TableHTML); outside a notebook it is printed to Out as aligned text.
// Rows may have different lengths.
func Table(caption string, header []string, rows [][]string) error {
	if !gonbui.IsNotebook {
		_, err := fmt.Fprint(out(), TableText(caption, header, rows))
		return err
	}
	gonbui.DisplayHtml(TableHTML(caption, header, rows))
	return flush()
}

// TableHTML returns the HTML of Table: a <table> with the caption, a header
// row of <th> cells and rows of <td> cells, every text HTML-escaped. Cells
// that hold a number are right-aligned.
func TableHTML(caption string, header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse;font-variant-numeric:tabular-nums">`)
	if caption != "" {
		fmt.Fprintf(&b, "<caption>%s</caption>", html.EscapeString(caption))
	}
	cell := func(tag, s string) {
		align := "left"
		if isNumber(s) {
			align = "right"
		}
		fmt.Fprintf(&b, `<%s style="text-align:%s;padding:2px 8px">%s</%s>`, tag, align, html.EscapeString(s), tag)
	}
	if header != nil {
		b.WriteString("<thead><tr>")
		for _, h := range header {
			cell("th", h)
		}
		b.WriteString("</tr></thead>")
	}
	b.WriteString("<tbody>")
	for _, row := range rows {
		b.WriteString("<tr>")
		for _, c := range row {
			cell("td", c)
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

// TableText returns Table as plain text: the caption on its own line, then
// the header and the rows in columns separated by two spaces, numbers
// right-aligned, each line ending in a newline.
func TableText(caption string, header []string, rows [][]string) string {
	all := rows
	if header != nil {
		all = append([][]string{header}, rows...)
	}
	var widths []int
	for _, row := range all {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	if caption != "" {
		b.WriteString(caption + "\n")
	}
	for _, row := range all {
		var line strings.Builder
		for i, c := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if isNumber(c) {
				line.WriteString(pad + c)
			} else {
				line.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}

// Confusion shows a confusion matrix as a Table: counts[i][j] is the number
// of samples of true class i predicted as j, one row per true class and one
// column per predicted class, labelled 0, 1, ....
func Confusion(counts [][]int) error {
	header, rows := ConfusionRows(counts)
	return Table("confusion matrix (rows: true class, columns: predicted class)", header, rows)
}

// ConfusionRows returns the header and rows Confusion shows.
func ConfusionRows(counts [][]int) (header []string, rows [][]string) {
	n := len(counts)
	for _, r := range counts {
		n = max(n, len(r))
	}
	header = []string{`true \ pred`}
	for j := range n {
		header = append(header, strconv.Itoa(j))
	}
	for i, r := range counts {
		row := []string{strconv.Itoa(i)}
		for _, v := range r {
			row = append(row, strconv.Itoa(v))
		}
		rows = append(rows, row)
	}
	return header, rows
}

// isNumber reports whether s is a number, possibly with a trailing %.
func isNumber(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
