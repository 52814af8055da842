#!/usr/bin/env python3
"""Builds a real-sized git history for the history benchmark, through `git fast-import`.

Files come from the headers on this machine (/usr/include); each commit edits a few of them
(lines moved in from other headers, lines dropped), now and then adds or deletes one, and
a few commits plant a synthetic AWS access key id generated here at run time. Deterministic
for a given seed and /usr/include. Usage: make_repo.py DIR [--commits N] [--seed S]
"""
import argparse
import os
import random
import subprocess
import sys

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def synthetic_key(rng):
    return "AKIA" + "".join(rng.choice(BASE32) for _ in range(16))


def header_pool(rng, limit):
    files = []
    for root, _dirs, names in os.walk("/usr/include"):
        for name in names:
            path = os.path.join(root, name)
            try:
                size = os.path.getsize(path)
            except OSError:
                continue
            if name.endswith((".h", ".hpp", ".hh")) and 1024 <= size <= 64 * 1024 and not os.path.islink(path):
                files.append(path)
    files.sort()
    rng.shuffle(files)
    pool = []
    for path in files[:limit]:
        with open(path, "rb") as handle:
            data = handle.read()
        if b"\0" not in data:
            pool.append((os.path.relpath(path, "/usr/include"), data.split(b"\n")))
    return pool


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--files", type=int, default=2500)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = header_pool(rng, args.files + 1000)
    tree = {("src/" + path): lines for path, lines in pool[: args.files]}
    spare = pool[args.files :]
    donors = [lines for _path, lines in pool]

    subprocess.run(["git", "init", "-q", "-b", "main", args.dir], check=True)
    importer = subprocess.Popen(["git", "-C", args.dir, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = importer.stdin
    planted = 0

    def blob_command(path, lines):
        data = b"\n".join(lines)
        out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))

    when = 1_600_000_000
    for number in range(1, args.commits + 1):
        when += rng.randint(60, 7200)
        message = b"change %d" % number
        out.write(b"commit refs/heads/main\nmark :%d\n" % number)
        out.write(b"author Bench Author <bench@example.com> %d +0000\n" % when)
        out.write(b"committer Bench Author <bench@example.com> %d +0000\n" % when)
        out.write(b"data %d\n%s\n" % (len(message), message))
        if number > 1:
            out.write(b"from :%d\n" % (number - 1))
        if number == 1:
            for path, lines in sorted(tree.items()):
                blob_command(path, lines)
            continue
        for _ in range(rng.randint(3, 8)):
            path = rng.choice(sorted(tree)) if number % 50 == 0 else rng.choice(list(tree))
            lines = list(tree[path])
            at = rng.randrange(len(lines) + 1)
            donor = rng.choice(donors)
            start = rng.randrange(max(1, len(donor)))
            lines[at:at + rng.randint(0, 20)] = donor[start:start + rng.randint(1, 30)]
            if len(lines) > 2500:
                cut = rng.randrange(len(lines) - 500)
                del lines[cut:cut + 500]
            if number % 97 == 0:
                lines.insert(rng.randrange(len(lines) + 1), b"// aws_access_key_id = " + synthetic_key(rng).encode())
                planted += 1
            tree[path] = lines
            blob_command(path, lines)
        if spare and number % 20 == 0:
            path, lines = spare.pop()
            tree["src/" + path] = lines
            blob_command("src/" + path, lines)
        if number % 35 == 0 and len(tree) > 100:
            path = rng.choice(sorted(tree))
            del tree[path]
            out.write(b"D %s\n" % path.encode())
        if number % 500 == 0:
            out.write(b"reset refs/tags/v%d\nfrom :%d\n" % (number // 500, number))
    out.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", args.dir, "checkout", "-q", "main"], check=True)
    print(f"{args.commits} commits, {len(tree)} files at HEAD, {planted} planted keys")


if __name__ == "__main__":
    main()
