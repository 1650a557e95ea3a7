# shellcheck shell=bash
# gonb-connect.sh connects a GoNB notebook to this repository's Go module. The first
# code cell of every notebook in notebooks/ is these three lines:
#
#   | !*. "${GONB_DIR}/../scripts/gonb-connect.sh"
#   | %noautoget
#   | %goflags -ldflags=-w
#
# GoNB runs a "!*" line with bash in the kernel's cell module (a temporary Go module,
# $GONB_TMP_DIR) and sets GONB_DIR to the notebook's folder, wherever Jupyter was
# started. This script, sourced there, finds the repository from its own place (the
# folder above scripts/, symbolic links resolved: no git needed, so a copy that is
# not a checkout works), checks that its go.mod declares the module, puts the
# repository in a Go workspace with the cell module, and requires the module at the
# zero pseudo-version, replaced by the repository's folder (what GoNB's %goworkfix
# would add), so that Go takes every dependency's version from the repository's
# go.mod, not the newest from the network. It prints the module and the folder.
#
# %noautoget stops GoNB from running "go get" before every cell (0.3-0.9 s a cell
# here), which the pinned versions make unnecessary (%autoget turns it back on, to
# import a package from outside the repository's dependencies); -ldflags=-w leaves
# the DWARF debugging information out of the cell programs, which cuts their link
# time by about a quarter (a panic's stack trace keeps its file and line numbers).
#
# On failure it prints one line naming what is missing to stderr and returns 1; the
# later cells then fail to import the repository's packages. If the script itself is
# not found, bash says "...scripts/gonb-connect.sh: No such file or directory".

gonb_connect() {
	local module=github.com/mlphys/softmax-mnist root
	root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || return 1
	if ! grep -qsE "^module[[:space:]]+\"?${module}\"?[[:space:]]*(//.*)?\$" "$root/go.mod"; then
		echo "gonb-connect: $root/go.mod does not declare module $module: open the notebook from a copy of the whole repository (notebooks/ next to scripts/ and go.mod)" >&2
		return 1
	fi
	if ! command -v go >/dev/null; then
		echo "gonb-connect: no go command on PATH (install Go $(sed -n 's/^go //p' "$root/go.mod") or newer, then restart the kernel)" >&2
		return 1
	fi
	if [ ! -f go.mod ]; then
		echo "gonb-connect: $PWD is not GoNB's cell module: run this file in a notebook's first cell as !*. \"\${GONB_DIR}/../scripts/gonb-connect.sh\"" >&2
		return 1
	fi
	rm -f go.work && go work init && go work use . "$root" &&
		go mod edit -require="$module@v0.0.0-00010101000000-000000000000" -replace="$module=$root" &&
		echo "module $module: $root"
}
gonb_connect
