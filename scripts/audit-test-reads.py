#!/usr/bin/python3
"""Fails when a traced test run opened a file outside the repository, the temp dirs and the
system's own directories (a user's clone has nothing else: no ../shared, no one's ~/.aws).

usage: audit-test-reads.py STRACE_LOG REPOSITORY [ALLOWED_DIR...]
The log comes from `strace -f -y -e trace=openat,open,execve -o LOG`; -y makes strace print the
directory each relative path was resolved against, so the check sees absolute paths."""
import os
import re
import sys

# Where a test may read besides the repository and temp dirs: the system's programs, libraries,
# settings and pseudo-files (what git, python3 and the SARIF validator read on a fresh Debian).
SYSTEM_DIRS = ["/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/proc",
               "/sys", "/dev", "/run", "/var/run", "/var/lib/dpkg", "/var/cache/debconf",
               "/var/lib/gems"]  # /var/run is /run; /var/lib/gems: Debian's Ruby reads its gem specs

OPEN = re.compile(r'^(\d+) +(?:openat\((?:AT_FDCWD|\d+)<([^>]*)>, |open\()"((?:[^"\\]|\\.)*)"')
EXEC = re.compile(r'^(\d+) +execve\("((?:[^"\\]|\\.)*)", \[(.*?)\]')


def inside(path, folder):
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def main():
    log, repository, *extra = sys.argv[1:]
    allowed = [os.path.realpath(repository)] + [os.path.realpath(d) for d in extra] + SYSTEM_DIRS
    commands = {}
    outside = {}
    with open(log, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if m := EXEC.match(line):
                commands[m.group(1)] = m.group(3)[:160]
                continue
            m = OPEN.match(line)
            if not m:
                continue
            pid, base, path = m.group(1), m.group(2) or "/", m.group(3)
            path = os.path.normpath(os.path.join(base, path))
            if any(inside(path, folder) for folder in allowed):
                continue
            # curl (7.88) looks for .curlrc in the passwd entry's home after CURL_HOME and HOME,
            # whatever the environment says: a probe the test cannot redirect (the agent snippet
            # under test is a plain `curl -sf`, as users run it).
            if os.path.basename(path) == ".curlrc" and commands.get(pid, "").startswith('"curl"'):
                continue
            outside.setdefault(path, commands.get(pid, "?"))
    for path, command in sorted(outside.items()):
        print(f"test-audit: opened outside the repository and temp dirs: {path}  (by {command})",
              file=sys.stderr)
    if outside:
        print(f"test-audit: {len(outside)} path(s) outside {repository}; tests must read only "
              "testdata/ and what they create in temp dirs", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
