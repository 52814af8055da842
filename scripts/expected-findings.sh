#!/usr/bin/env bash
# Rewrites the expected findings from a scan of testdata/ at --min-confidence low
# ("rule path:line:column confidence [reasons]"): testdata/corpus/expected-findings.txt for the
# realistic corpus, testdata/expected-findings.txt for the per-rule fixtures.
# Review the diff: the test suite holds keyhound to exactly these lists, confidence and reasons included.
set -euo pipefail
cd "$(dirname "$0")/.."
build/keyhound scan --format jsonl -q --min-confidence low testdata | /usr/bin/python3 -c '
import json, sys
rows = []
for line in sys.stdin:
    f = json.loads(line)
    for at in f["locations"]:
        rows.append("%s %s:%d:%d %s [%s]" % (f["rule_id"], at["path"], at["line"], at["column"],
                                             at["confidence"], ",".join(at["reasons"])))
rows.sort()
in_corpus = lambda r: r.split(" ", 2)[1].startswith("testdata/corpus/")
lists = {
    "testdata/expected-findings.txt": ("testdata/", lambda r: not in_corpus(r)),
    "testdata/corpus/expected-findings.txt": ("testdata/corpus/", in_corpus),
}
for path, (scope, belongs) in lists.items():
    with open(path, "w") as out:
        out.write("# rule path:line:column confidence [reasons] for every location keyhound must report in %s\n" % scope)
        out.write("# (scanned as \"keyhound scan --min-confidence low testdata\"")
        out.write("; testdata/corpus/ has its own list)\n" if scope == "testdata/" else ")\n")
        out.write("".join(r + "\n" for r in rows if belongs(r)))'
