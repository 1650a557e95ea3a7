#!/usr/bin/env python3
"""The runner of scripts/mutants.sh (see there); the mutations are in
scripts/mutants.txt. Usage: mutants.py ROOT [--list] [--keep] [NAME...]."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

DEFAULT_CHECK = "go test ./..."


class Mutant:
    def __init__(self, name):
        self.name, self.why, self.check, self.retarget = name, "", DEFAULT_CHECK, ""
        self.edits = []  # (file, find, replace)


def parse(path):
    """Returns the mutations of the list at path; raises ValueError naming
    the line of a malformed block."""
    mutants, m, file, mode, find, repl = [], None, None, None, [], []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        where = "%s:%d" % (path, n)
        if mode in ("find", "replace"):
            if line == ">>> replace" and mode == "find":
                mode = "replace"
            elif line == "===" and mode == "replace":
                m.edits.append((file, "\n".join(find), "\n".join(repl)))
                mode, find, repl = None, [], []
            elif line.startswith(("<<< find", ">>> replace", "===")):
                raise ValueError("%s: %r out of place" % (where, line))
            else:
                (find if mode == "find" else repl).append(line)
        elif line.startswith("== "):
            m, file = Mutant(line[3:].strip()), None
            mutants.append(m)
        elif m is None or not line.strip() or line.startswith("#"):
            continue
        elif line.startswith("why: "):
            m.why = line[5:].strip()
        elif line.startswith("check: "):
            m.check = line[7:].strip()
        elif line.startswith("retarget: "):
            m.retarget = line[10:].strip()
        elif line.startswith("file: "):
            file = line[6:].strip()
        elif line == "<<< find" and file:
            mode = "find"
        else:
            raise ValueError("%s: unexpected %r" % (where, line))
    if mode is not None:
        raise ValueError("%s: unterminated find/replace block" % path)
    names = [m.name for m in mutants]
    for m in mutants:
        if not m.edits or names.count(m.name) > 1:
            raise ValueError("%s: mutation %r has no edits or a duplicate name" % (path, m.name))
    return mutants


def copy_tree(root):
    """Copies the files git knows into a new temporary directory."""
    files = subprocess.run(["git", "-C", root, "ls-files", "-z", "-co", "--exclude-standard"],
                           check=True, capture_output=True).stdout.decode().split("\0")
    dst = tempfile.mkdtemp(prefix="mutants-")
    for f in files:
        if f and os.path.isfile(os.path.join(root, f)):
            os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
            shutil.copy2(os.path.join(root, f), os.path.join(dst, f))
    return dst


def run_check(copy, command):
    """Runs command in copy; returns (passed, failing tests, build broken).
    A go test command runs with -json to name the failing tests."""
    cmd = command.replace("go test ", "go test -json ", 1) if "go test " in command else command
    p = subprocess.run(["sh", "-c", cmd], cwd=copy, capture_output=True, text=True)
    failed, broken, text = [], False, p.stdout + p.stderr
    for line in p.stdout.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        test, action = ev.get("Test"), ev.get("Action")
        if action == "fail" and test and "/" not in test:
            failed.append("%s.%s" % (ev["Package"].rsplit("/", 1)[-1], test))
        elif action == "fail" and not test and ev.get("Package"):
            pkg = ev["Package"].rsplit("/", 1)[-1]
            if not any(f.startswith(pkg + ".") for f in failed):
                failed.append("%s (package)" % pkg)
        elif action in ("build-fail",) or (action == "output" and "[build failed]" in ev.get("Output", "")):
            broken = True
    if "-json" not in cmd and p.returncode != 0:
        failed = [l.strip() for l in text.splitlines() if l.startswith(("FAIL:", "ERROR:"))] or ["exit %d" % p.returncode]
    return p.returncode == 0, failed, broken, text


def apply(copy, m):
    """Applies m's edits in copy; returns the originals to restore, or an
    error naming the stale snippet."""
    saved = {}
    for file, find, repl in m.edits:
        path = os.path.join(copy, file)
        if not os.path.exists(path):
            return saved, "no file %s" % file
        with open(path, encoding="utf-8") as f:
            current = f.read()
        saved.setdefault(path, current)
        if current.count(find) != 1:
            return saved, "%s: the snippet occurs %d times, want once: %r" % (file, current.count(find), find[:60])
        with open(path, "w", encoding="utf-8") as f:
            f.write(current.replace(find, repl))
    return saved, None


def restore(saved):
    for path, text in saved.items():
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def main(argv):
    root, args = argv[1], argv[2:]
    mutants = parse(os.path.join(root, "scripts", "mutants.txt"))
    if "--list" in args:
        for m in mutants:
            print("%-32s %s%s" % (m.name, m.why, " [re-target: %s]" % m.retarget if m.retarget else ""))
        return 0
    keep = "--keep" in args
    names = [a for a in args if not a.startswith("--")]
    unknown = set(names) - {m.name for m in mutants}
    if unknown:
        print("mutants: no mutation %s (see --list)" % ", ".join(sorted(unknown)), file=sys.stderr)
        return 2
    mutants = [m for m in mutants if not names or m.name in names]
    copy = copy_tree(root)
    print("mutants: copy in %s" % copy)
    try:
        t0 = time.time()
        ok, failed, _, text = run_check(copy, DEFAULT_CHECK)
        if not ok:
            print("mutants: the unmutated copy fails go test ./...: %s\n%s" % (", ".join(failed), text[-2000:]))
            return 1
        print("mutants: unmutated copy passes go test ./... (%.0f s)" % (time.time() - t0))
        caught = 0
        for m in mutants:
            t0 = time.time()
            saved, err = apply(copy, m)
            try:
                if err:
                    status, detail = "STALE", err
                else:
                    ok, failed, broken, _ = run_check(copy, m.check)
                    status = "BROKEN" if broken else "SURVIVED" if ok else "caught"
                    detail = ", ".join(failed[:4]) + (" (+%d)" % (len(failed) - 4) if len(failed) > 4 else "")
            finally:
                restore(saved)
            caught += status == "caught"
            print("%-8s %-32s %4.0f s  %s%s" % (status, m.name, time.time() - t0, detail,
                                                "" if m.check == DEFAULT_CHECK else "  [%s]" % m.check), flush=True)
        print("mutants: %d of %d caught" % (caught, len(mutants)))
        return 0 if caught == len(mutants) else 1
    finally:
        if keep:
            print("mutants: kept %s" % copy)
        else:
            shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
