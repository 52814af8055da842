#!/usr/bin/python3
# Turns the timings of run.sh into the results table, and checks keyhound's JSON report against
# planted.tsv (recall per kind of planted secret, and what fired outside the planted places).
# Usage: report.py WORK_DIR CORPUS_DIR PLANTED_TSV KEYHOUND_JSON
import collections
import json
import os
import statistics
import sys


def load_timings(work):
    """timings.tsv rows: tool, threads, label, hyperfine json, load average at the time."""
    rows = []
    with open(os.path.join(work, "timings.tsv")) as handle:
        for line in handle:
            tool, threads, label, result_file, load = line.rstrip("\n").split("\t")
            with open(result_file) as result:
                times = json.load(result)["results"][0]["times"]
            rows.append({"tool": tool, "threads": threads, "label": label, "times": times, "load": load})
    return rows


def table(rows, corpus_bytes):
    floor = {r["threads"]: statistics.median(r["times"]) for r in rows if r["tool"] == "cat"}
    rg = {r["threads"]: statistics.median(r["times"]) for r in rows if r["tool"] == "rg"}
    mb = corpus_bytes / 1e6
    print(f"corpus: {mb:.0f} MB; seconds = median of the warm runs (min in brackets)")
    print("vs cat = share of the read floor's throughput (same threads); vs rg > 1 means faster than rg")
    header = (f"{'tool':<34} {'threads':>7} {'runs':>4} {'seconds':>15} {'MB/s':>7} {'vs cat':>7} {'vs rg':>7}"
              "  load avg (1/5/15 min)")
    print(header)
    print("-" * len(header))
    rank = {"cat": 0, "rg": 1, "keyhound": 2}
    for r in sorted(rows, key=lambda r: (int(r["threads"]), rank.get(r["tool"], 1.5))):
        median = statistics.median(r["times"])
        speed = mb / median
        vs_cat = f"{floor[r['threads']] / median:.2f}" if r["threads"] in floor else "-"
        vs_rg = f"{rg[r['threads']] / median:.2f}" if r["threads"] in rg else "-"
        seconds = f"{median:.2f} [{min(r['times']):.2f}]"
        print(f"{r['label']:<34} {r['threads']:>7} {len(r['times']):>4} {seconds:>15} {speed:>7.0f} {vs_cat:>7} "
              f"{vs_rg:>7}  {r['load']}")


def recall(corpus, planted_tsv, report_file):
    with open(report_file) as handle:
        report = json.load(handle)
    root = os.path.normpath(corpus)
    found_at = collections.defaultdict(list)  # relative path -> [(line, end_line, rule id)]
    for finding in report["findings"]:
        for location in finding["locations"]:
            path = os.path.normpath(location["path"])
            relative = os.path.relpath(path, root) if os.path.isabs(path) or path.startswith(root) else path
            found_at[relative].append((location["line"], location["end_line"], finding["rule_id"]))

    planted = collections.OrderedDict()
    claimed = set()
    with open(planted_tsv) as handle:
        next(handle)
        for line in handle:
            path, first, kind, span = line.rstrip("\n").split("\t")
            first, last = int(first), int(first) + int(span) - 1
            stats = planted.setdefault(kind, {"planted": 0, "found": 0, "rules": collections.Counter()})
            stats["planted"] += 1
            hits = [(l, e, rule) for (l, e, rule) in found_at.get(path, []) if first <= l <= last]
            if hits:
                stats["found"] += 1
                for hit in hits:
                    stats["rules"][hit[2]] += 1
                    claimed.add((path, hit[0], hit[2]))
    total_planted = sum(s["planted"] for s in planted.values())
    total_found = sum(s["found"] for s in planted.values())
    print(f"\nplanted-secret recall (keyhound, all cores): {total_found}/{total_planted}")
    print(f"{'kind':<26} {'found/planted':>13}  rules that reported them")
    for kind in sorted(planted):
        s = planted[kind]
        rules = ", ".join(f"{rule} x{n}" for rule, n in s["rules"].most_common())
        print(f"{kind:<26} {s['found']:>6}/{s['planted']:<6}  {rules}")

    other = collections.Counter()
    for path, hits in found_at.items():
        for line, _, rule in hits:
            if (path, line, rule) not in claimed:
                other[rule] += 1
    print(f"\nfindings outside planted places (secrets already in the copied files, or false alarms): "
          f"{sum(other.values())} locations")
    for rule, n in other.most_common(15):
        print(f"  {rule:<40} {n}")
    summary = report.get("summary", {})
    print(f"keyhound summary: {summary.get('blobs_scanned')} files, {summary.get('bytes_scanned')} bytes scanned, "
          f"{summary.get('skipped_binary')} binary, {summary.get('skipped_too_large')} too large, "
          f"{summary.get('warnings')} warnings")


def main():
    work, corpus, planted_tsv, report_file = sys.argv[1:5]
    with open(os.path.join(work, "corpus-bytes")) as handle:
        corpus_bytes = int(handle.read())
    table(load_timings(work), corpus_bytes)
    recall(corpus, planted_tsv, report_file)


if __name__ == "__main__":
    main()
