#!/usr/bin/python3
# Rewrites rules/evidence/common-words.txt: the 5000 words most used in the English text under
# /usr/share/doc that Debian's wamerican dictionary (/usr/share/dict/words) also lists, plus
# the words people build passwords from. Only the committed list is used at run time.
import collections, gzip, os, re, sys

DICTIONARY = "/usr/share/dict/words"
CORPUS = "/usr/share/doc"
OUT = os.path.join(os.path.dirname(__file__), "..", "rules", "evidence", "common-words.txt")
PASSWORD_WORDS = """password passwd secret admin administrator root letmein welcome qwerty dragon
monkey master shadow sunshine princess football baseball soccer hockey summer winter spring autumn
iloveyou trustno love hello freedom whatever superman batman starwars login guest test testing
amazing awesome changeit default demo sample example foobar foo bar baz qux dummy fake mock
token apikey key private public access user username pass pwd pin""".split()

def words_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="ignore") as f:
            return re.findall(r"[a-z]{2,}", f.read(2_000_000).lower())
    except OSError:
        return []

def main():
    dictionary = set()
    with open(DICTIONARY, encoding="utf-8") as f:
        for line in f:
            word = line.strip()
            if word.isalpha() and word.islower() and word.isascii():
                dictionary.add(word)
    counts = collections.Counter()
    for folder, _, files in os.walk(CORPUS):
        for name in files:
            counts.update(w for w in words_of(os.path.join(folder, name)) if w in dictionary)
    common = [w for w, _ in counts.most_common() if len(w) >= 2][:5000]
    chosen = sorted(set(common) | set(PASSWORD_WORDS))
    with open(OUT, "w") as out:
        out.write("# Common English words (scripts/make-common-words.py): a value made of them is a\n")
        out.write("# made-up example more often than a secret. One lowercase word a line.\n")
        out.write("\n".join(chosen) + "\n")
    print(f"{len(chosen)} words", file=sys.stderr)

main()
