#!/usr/bin/env bash
# Rewrites testdata/expected-findings.txt from a scan of testdata/ at --min-confidence low
# ("rule path:line:column confidence [reasons]"). Review the diff: the test suite holds keyhound
# to exactly this list, confidence and reasons included.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# rule path:line:column confidence [reasons] for every location keyhound must report in testdata/"
  echo "# (scanned as 'keyhound scan --min-confidence low testdata': paths are read below testdata/)"
  build/keyhound scan --format jsonl -q --min-confidence low testdata | /usr/bin/python3 -c '
import json, sys
rows = []
for line in sys.stdin:
    f = json.loads(line)
    for at in f["locations"]:
        rows.append("%s %s:%d:%d %s [%s]" % (f["rule_id"], at["path"], at["line"], at["column"],
                                             at["confidence"], ",".join(at["reasons"])))
print("\n".join(sorted(rows)))'
} > testdata/expected-findings.txt
