#!/usr/bin/env bash
# Rewrites testdata/expected-findings.txt from a scan of testdata/ ("rule path:line:column").
# Review the diff: the test suite holds keyhound to exactly this list.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# rule path:line:column for every location keyhound must report in testdata/"
  build/keyhound scan --format jsonl -q testdata | /usr/bin/python3 -c '
import json, sys
rows = []
for line in sys.stdin:
    f = json.loads(line)
    for at in f["locations"]:
        rows.append("%s %s:%d:%d" % (f["rule_id"], at["path"], at["line"], at["column"]))
print("\n".join(sorted(rows)))'
} > testdata/expected-findings.txt
