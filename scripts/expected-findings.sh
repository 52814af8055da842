#!/usr/bin/env bash
# Rewrites the expected findings from a scan of testdata/ ("rule path:line:column"):
# testdata/corpus/expected-findings.txt for the corpus, testdata/expected-findings.txt for the rest.
# Review the diff: the test suite holds keyhound to exactly these lists.
set -euo pipefail
cd "$(dirname "$0")/.."
build/keyhound scan --format jsonl -q testdata | /usr/bin/python3 -c '
import json, sys
rows = []
for line in sys.stdin:
    f = json.loads(line)
    for at in f["locations"]:
        rows.append("%s %s:%d:%d" % (f["rule_id"], at["path"], at["line"], at["column"]))
rows.sort()
lists = {
    "testdata/expected-findings.txt": ("testdata/", lambda r: not r.split(" ", 1)[1].startswith("testdata/corpus/")),
    "testdata/corpus/expected-findings.txt": ("testdata/corpus/", lambda r: r.split(" ", 1)[1].startswith("testdata/corpus/")),
}
for path, (scope, belongs) in lists.items():
    with open(path, "w") as out:
        out.write("# rule path:line:column for every location keyhound must report in %s\n" % scope)
        if scope == "testdata/":
            out.write("# (testdata/corpus/ has its own list: testdata/corpus/expected-findings.txt)\n")
        out.write("".join(r + "\n" for r in rows if belongs(r)))'
