#!/usr/bin/python3
"""Latency of `keyhound lsp`: time from a didChange to the publishDiagnostics of that version,
on a 5,000-line Python file, with a cold rule cache (an empty KEYHOUND_CACHE_DIR: the first
scan compiles the rules) and a warm one. A benchmark, not a test: it asserts nothing.

usage: bench/lsp/latency.py KEYHOUND_BIN [--changes N] [--cold-runs N] [--debounce MS]

Each run starts the server, opens the file, waits for its first diagnostics ("open"), then
types N single-character edits one after the other (each waits for its diagnostics), alternating
between a line of ordinary code and the line of a planted key, so half the scans find it and
half do not. Printed: open-to-first-diagnostics and per-change median and p99, in ms; with the
default debounce, 150 ms of each change's latency is the debounce itself, so the run is repeated
with --debounce 0 to show the scan alone."""
import argparse
import json
import os
import random
import select
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time


def make_file(lines=5000, seed=17):
    rnd = random.Random(seed)
    out = []
    for i in range(lines):
        kind = i % 7
        name = "".join(rnd.choice(string.ascii_lowercase) for _ in range(8))
        if kind == 0:
            out.append(f"def {name}_{i}(value, other=None):")
        elif kind == 1:
            out.append(f"    result = compute_{name}(value, {i}, 'label-{name}')  # step {i}")
        elif kind == 2:
            out.append(f"    if result and other: return {{'{name}': result, 'n': {i}}}")
        elif kind == 3:
            out.append(f"    logger.info('processed %s items for {name}', len(result))")
        elif kind == 4:
            out.append(f"    cache['{name}'] = [x * {i % 13} for x in range(10)]")
        elif kind == 5:
            out.append(f"    return result or other  # é ü 日本 🎉 {name}")
        else:
            out.append("")
    key = "AKIA" + "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    out[2500] = f'AWS_KEY_ID = "{key}"'
    return "\n".join(out) + "\n"


class Server:
    def __init__(self, binary, cache_dir, debounce):
        env = dict(os.environ, KEYHOUND_CACHE_DIR=cache_dir)
        self.proc = subprocess.Popen([binary, "lsp", "--debounce", str(debounce)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.buffer = b""
        self.next_id = 1

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self, timeout=120):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                length = int(self.buffer[:end].split(b":")[1])
                if len(self.buffer) >= end + 4 + length:
                    body = self.buffer[end + 4:end + 4 + length]
                    self.buffer = self.buffer[end + 4 + length:]
                    return json.loads(body)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("no message from the server")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise EOFError("the server closed its output")
            self.buffer += chunk

    def request(self, method, params):
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        self.next_id += 1
        while "result" not in (message := self.read()) and "error" not in message:
            pass
        return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, version):
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
                return message["params"]["diagnostics"]

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def run(binary, cache_dir, workdir, text, changes, debounce):
    server = Server(binary, cache_dir, debounce)
    uri = "file://" + os.path.join(workdir, "big_module.py")
    server.request("initialize", {"processId": None, "rootUri": "file://" + workdir, "capabilities": {}})
    started = time.perf_counter()
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    found = server.diagnostics_for(1)
    opened = (time.perf_counter() - started) * 1000
    assert len(found) == 1, found
    samples = []
    inserted = False
    for version in range(2, changes + 2):
        if version % 2:  # the key's line: a character typed inside the key (no finding), then deleted
            at = {"line": 2500, "character": 20}
            end = {"line": 2500, "character": 21} if inserted else at
            change = {"range": {"start": at, "end": end}, "text": "" if inserted else "Q"}
            inserted = not inserted
        else:  # ordinary code
            at = {"line": 1001, "character": 4}
            change = {"range": {"start": at, "end": at}, "text": " "}
        t0 = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        server.diagnostics_for(version)
        samples.append((time.perf_counter() - t0) * 1000)
    server.close()
    return opened, samples


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--debounce", type=int, default=150)
    args = parser.parse_args()
    text = make_file()
    print(f"file: 5000 lines, {len(text.encode())} bytes; {args.changes} changes per run; load {os.getloadavg()[0]:.2f}")
    workdir = tempfile.mkdtemp(prefix="keyhound-lsp-bench-")
    try:
        for debounce in (args.debounce, 0):
            cold_open, cold_changes = [], []
            for _ in range(args.cold_runs):
                cache = tempfile.mkdtemp(prefix="cold-cache-", dir=workdir)
                opened, samples = run(args.binary, cache, workdir, text, args.changes, debounce)
                cold_open.append(opened)
                cold_changes += samples
                shutil.rmtree(cache)
            warm_cache = tempfile.mkdtemp(prefix="warm-cache-", dir=workdir)
            run(args.binary, warm_cache, workdir, text, 2, debounce)  # fills the cache
            warm_open, warm_changes = [], []
            for _ in range(args.cold_runs):
                opened, samples = run(args.binary, warm_cache, workdir, text, args.changes, debounce)
                warm_open.append(opened)
                warm_changes += samples
            for name, opens, changes in (("cold", cold_open, cold_changes), ("warm", warm_open, warm_changes)):
                print(f"debounce {debounce:>3} ms, {name} rule cache: open->diagnostics median {statistics.median(opens):8.1f} ms; "
                      f"didChange->publishDiagnostics median {statistics.median(changes):6.1f} ms, p99 {p99(changes):6.1f} ms "
                      f"({len(changes)} changes)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
