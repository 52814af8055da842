#!/usr/bin/python3
"""Issue 15 point 5: `keyhound scan --staged` on a large repository against `git diff --cached -U0`.

  bench/staged/run.py [BASE_BIN=/work/wt-base/build/keyhound] [NEW_BIN=build/keyhound] [REPO=/tmp/keyhound-bench-staged]
  bench/staged/run.py NAME=BIN... [REPO]     (any number of binaries, each under its own name)

Makes (when missing) a repository of the shape issue 15 names: 5,000 files in 1,110 trees
(1,000 leaf directories below 110 upper ones and the root, 5 small source files in each
leaf), one commit; then stages a 10-file change in 10 different directories. Each round runs
the three commands once, in turn (interleaved: a busy machine slows all three alike), ROUNDS
(40) rounds after 3 warm-up rounds; prints medians of wall and CPU (user + system, from wait4).
"""
import os, random, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
named = [a for a in sys.argv[1:] if "=" in a]
if named:
    BINARIES = [(a.split("=", 1)[0], os.path.abspath(a.split("=", 1)[1])) for a in named]
    rest = [a for a in sys.argv[1:] if "=" not in a]
    REPO = rest[0] if rest else "/tmp/keyhound-bench-staged"
else:
    BINARIES = [("base", os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "/work/wt-base/build/keyhound")),
                ("new", os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "../../build/keyhound")))]
    REPO = sys.argv[3] if len(sys.argv) > 3 else "/tmp/keyhound-bench-staged"
ROUNDS = int(os.environ.get("ROUNDS", "40"))
ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", GIT_AUTHOR_NAME="Bench",
           GIT_AUTHOR_EMAIL="bench@example.com", GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")


def git(*args):
    return subprocess.run(["git", *args], cwd=REPO, env=ENV, check=True, capture_output=True, text=True).stdout


def make_repo():
    shutil.rmtree(REPO, ignore_errors=True)
    os.makedirs(REPO)
    git("init", "-q", "-b", "main", ".")
    rng = random.Random(15)
    files = 0
    for a in range(10):
        for b in range(10):
            for c in range(10):
                directory = os.path.join(REPO, "pkg%d" % a, "mod%d" % b, "part%d" % c)
                os.makedirs(directory)
                for f in range(5):
                    with open(os.path.join(directory, "file%d.py" % f), "w") as out:
                        for line in range(rng.randint(20, 60)):
                            out.write("def function_%d_%d(value):\n    return value * %d\n" % (f, line, rng.randint(1, 999)))
                    files += 1
    git("add", "-A")
    git("commit", "-qm", "tree")
    trees = len(git("ls-tree", "-r", "-t", "-d", "HEAD").splitlines()) + 1
    print("repository: %d files, %d trees" % (files, trees))


def stage_change():
    git("reset", "-q", "--hard")
    paths = ["pkg%d/mod%d/part%d/file1.py" % (i, (i * 3) % 10, (i * 7) % 10) for i in range(10)]
    for path in paths:
        with open(os.path.join(REPO, path), "a") as out:
            out.write("\n# staged change\ndef added():\n    return 42\n")
    git("add", *paths)


def timed(command):
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, env=dict(ENV, KEYHOUND_CACHE_DIR=os.path.join(REPO, ".git", "kh-cache-" + command[0].replace("/", "_"))),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit("%s exited %d" % (" ".join(command), code))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_minflt


if not os.path.isdir(os.path.join(REPO, ".git")):
    make_repo()
stage_change()
print("load at the start: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
commands = {"git diff --cached -U0": ["git", "diff", "--cached", "-U0"]}
for name, binary in BINARIES:
    commands["keyhound " + name] = [binary, "scan", "--staged", "-q"]
results = {name: [] for name in commands}
for round in range(ROUNDS + 3):
    for name, command in commands.items():
        measured = timed(command)
        if round >= 3:
            results[name].append(measured)
print("load at the end: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
git_wall = statistics.median(w for w, _, _ in results["git diff --cached -U0"])
git_cpu = statistics.median(c for _, c, _ in results["git diff --cached -U0"])
print("| command | wall ms (median of %d) | CPU ms | page faults | wall / git's | CPU / git's |\n|---|---|---|---|---|---|" % ROUNDS)
for name, runs in results.items():
    wall = statistics.median(w for w, _, _ in runs)
    cpu = statistics.median(c for _, c, _ in runs)
    faults = statistics.median(f for _, _, f in runs)
    print("| %s | %.1f | %.1f | %d | %.2f | %.2f |" % (name, wall * 1000, cpu * 1000, faults, wall / git_wall, cpu / git_cpu))
git("reset", "-q", "--hard")
