#!/usr/bin/python3
"""Two keyhound binaries on the same command, run in interleaved pairs (base, new, base, new...)
so that a shared machine's load slows both alike; medians of wall and CPU (user + system, from
wait4) and of peak RSS.

  bench/pairs.py [--rounds N] [--cwd DIR] [--mid MID_BIN] BASE_BIN NEW_BIN -- SCAN ARGS...

--mid adds a third binary to each round (base, mid, new): e.g. the main a branch started from.

Each binary keeps its own rule cache (warmed by one run first). Exit codes 0 and 1 count as runs.
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("base")
parser.add_argument("new")
parser.add_argument("--rounds", type=int, default=7)
parser.add_argument("--cwd", default=".")
parser.add_argument("--mid")
parser.add_argument("args", nargs=argparse.REMAINDER)
options = parser.parse_args()
args = options.args[1:] if options.args[:1] == ["--"] else options.args
caches = tempfile.mkdtemp(prefix="keyhound-pairs-")


def run(name, binary):
    env = dict(os.environ, KEYHOUND_CACHE_DIR=os.path.join(caches, name))
    start = time.monotonic()
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen([binary, *args], cwd=options.cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        errors.seek(0)
        sys.exit("%s exited %d: %s" % (name, code, errors.read().decode(errors="replace")))
    return time.monotonic() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


binaries = {"base": os.path.abspath(options.base)}
if options.mid:
    binaries["mid"] = os.path.abspath(options.mid)
binaries["new"] = os.path.abspath(options.new)
for name, binary in binaries.items():
    run(name, binary)
results = {name: [] for name in binaries}
for _ in range(options.rounds):
    for name, binary in binaries.items():
        results[name].append(run(name, binary))
print("keyhound %s (%d interleaved pairs; load %s)" % (" ".join(args), options.rounds,
                                                      " ".join(open("/proc/loadavg").read().split()[:3])))
print("| binary | wall s (median) | CPU s (median) | peak RSS MB |\n|---|---|---|---|")
median = lambda name, i: statistics.median(r[i] for r in results[name])
for name in binaries:
    print("| %s | %.3f | %.3f | %.0f |" % (name, median(name, 0), median(name, 1), median(name, 2)))
print("new/base: wall %.3f, CPU %.3f" % (median("new", 0) / median("base", 0), median("new", 1) / median("base", 1)))
if options.mid:
    print("new/mid: wall %.3f, CPU %.3f" % (median("new", 0) / median("mid", 0), median("new", 1) / median("mid", 1)))
