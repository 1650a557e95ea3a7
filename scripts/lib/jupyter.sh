# shellcheck shell=bash
# Shell functions shared by scripts/setup.sh and scripts/run-notebooks.sh; source it.

# jupyter_python prints the interpreter that the `jupyter` command runs with.
jupyter_python() {
	local j line
	j=$(command -v jupyter 2>/dev/null) || return 1
	IFS= read -r line <"$j" || return 1
	case "$line" in
	'#!'*) ;;
	*) return 1 ;;
	esac
	line=${line#\#!}
	line=${line# }
	# "#!/usr/bin/env python3" names the interpreter second.
	local -a words
	read -r -a words <<<"$line"
	set -- "${words[@]}"
	if [ "$(basename "$1")" = env ]; then
		shift
		[ "${1:-}" = -S ] && shift
		command -v "$1"
	else
		printf '%s\n' "$1"
	fi
}
