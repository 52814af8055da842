#!/usr/bin/python3
# Writes the rules' patterns (rules/*.yml) as a ripgrep pattern file, one regex a line, so
# `rg -f` searches for the same things keyhound's Hyperscan pass does.
# Usage: patterns.py RULES_DIR OUT_FILE [--unicode]   (prints how many rules were converted, and
# any dropped; --unicode leaves rg's default Unicode classes instead of RE2's ASCII ones)
import glob
import os
import re
import subprocess
import sys

import yaml


def to_rust_regex(pattern):
    # RE2 and Rust's regex crate share almost all syntax. rg -f joins the patterns into one
    # alternation, where two groups named "secret" collide: the names go (rg reports lines).
    return re.sub(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", "(", pattern)


def ascii_mode(pattern):
    # keyhound runs RE2 in Latin-1 mode, where \b \w \s \d are ASCII classes; (?-u) gives rg the
    # same meaning. (Unicode-aware \b also stops rg's DFA on non-ASCII text: 25x slower here.)
    return "(?-u)" + pattern


def rg_accepts(pattern, multiline=False):
    command = ["rg", "--quiet"] + (["-U"] if multiline else []) + ["-e", pattern, "-"]
    probe = subprocess.run(command, input=b"", capture_output=True)
    return probe.returncode in (0, 1), probe.stderr.decode(errors="replace").strip()


def first_line_part(pattern):
    """For a pattern that spans lines (PEM blocks): its longest prefix before the first
    line break that rg accepts once its open groups are closed, e.g. the BEGIN line."""
    breaks = [i for i in (pattern.find("\\n"), pattern.find("\\r")) if i >= 0]
    end = min(breaks) if breaks else len(pattern)
    for cut in range(end, 0, -1):
        prefix = pattern[:cut]
        opened = len(re.findall(r"(?<!\\)\(", prefix)) - len(re.findall(r"(?<!\\)\)", prefix))
        if opened < 0:
            continue
        candidate = prefix + ")" * opened
        if len(candidate) > 8 and rg_accepts(candidate)[0]:
            return candidate
    return None


def main():
    rules_dir, out_file = sys.argv[1], sys.argv[2]
    unicode_mode = len(sys.argv) > 3 and sys.argv[3] == "--unicode"
    kept, dropped, whole, shortened = [], [], [], []
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        # PyYAML refuses raw control characters that keyhound's loader accepts; as regex escapes
        # they mean the same byte.
        controls = re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
        if controls:
            print(f"  note: {os.path.basename(path)} holds {len(controls)} raw control character(s) "
                  f"(e.g. a backspace where \\b was meant?)")
            text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: "\\x%02x" % ord(m.group()), text)
        document = yaml.safe_load(text) or {}
        for rule in document.get("rules", []):
            pattern = to_rust_regex(rule["pattern"])
            if not unicode_mode and rg_accepts(ascii_mode(pattern), multiline=True)[0]:
                pattern = ascii_mode(pattern)
            whole.append(pattern)
            if not rg_accepts(pattern)[0] and rg_accepts(pattern, multiline=True)[0]:
                # rg matches line by line: search for the part before the first line break.
                part = first_line_part(pattern)
                if part is not None:
                    kept.append(part)
                    shortened.append(rule["id"])
                    continue
            ok, reason = rg_accepts(pattern)
            if ok:
                kept.append(pattern)
            else:
                dropped.append((rule["id"], reason.splitlines()[-1] if reason else "rejected"))
    with open(out_file, "w") as handle:
        handle.write("".join(p + "\n" for p in kept))
    # Every pattern whole, for rg -U (multi-line mode).
    with open(out_file + ".multiline", "w") as handle:
        handle.write("".join(p + "\n" for p in whole))
    print(f"rg patterns: {len(kept)} of {len(whole)} rules; {len(shortened)} multi-line rules cut to "
          f"their first line ({', '.join(shortened)}); all {len(whole)} whole in {out_file}.multiline")
    for rule_id, reason in dropped:
        print(f"  dropped {rule_id}: {reason}")


if __name__ == "__main__":
    main()
