#!/usr/bin/python3
# Builds the directory-scan benchmark corpus: text files copied from this machine (mutated copies
# until the size is reached) plus synthetic secrets planted at recorded places (planted.tsv).
#
# No key-shaped literal appears here: every provider prefix is assembled at run time, every value
# comes from the `secrets` module, PEM blocks come from openssl.
import argparse
import os
import random
import secrets
import subprocess
import sys
import zlib

SOURCE_ROOTS = [
    "/usr/include",
    "/usr/share",
    "/usr/lib/python3",
    "/usr/lib/python3.11",
    "/usr/lib/x86_64-linux-gnu/perl",
    "/usr/lib/x86_64-linux-gnu/perl-base",
]
# Skipped outright: compressed, compiled or image data that is never source text.
SKIP_EXTENSIONS = {
    ".gz", ".bz2", ".xz", ".zst", ".zip", ".pyc", ".so", ".a", ".o", ".mo", ".png", ".jpg",
    ".jpeg", ".gif", ".ico", ".ttf", ".otf", ".woff", ".woff2", ".pdf", ".svgz", ".db", ".bin",
    ".deb", ".pf2", ".cache", ".dat", ".wasm",
}
MAX_FILE = 4 << 20  # well under keyhound's default --max-file-size (16M)
BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
BASE64 = BASE62 + "+/"
HEX = "0123456789abcdef"
DIGITS = "0123456789"

# Each mutated round swaps a couple of frequent identifiers so copies are not byte-identical.
SWAPS = [
    (b"size", b"len"), (b"value", b"item"), (b"name", b"label"), (b"data", b"buf"),
    (b"count", b"total"), (b"result", b"ret"), (b"index", b"pos"), (b"string", b"text"),
]


def rand(alphabet, n):
    return "".join(secrets.choice(alphabet) for _ in range(n))


def base62(number, width):
    out = ""
    while number:
        number, digit = divmod(number, 62)
        out = BASE62[digit] + out
    return out.rjust(width, "0")


# --- secret makers ----------------------------------------------------------------------

def github_classic():
    body = rand(BASE62, 30)
    return "gh" + "p_" + body + base62(zlib.crc32(body.encode()), 6)


def github_fine_grained():
    return "github" + "_pat_" + "11" + rand(BASE32[:26] + DIGITS, 20) + "_" + rand(BASE62, 59)


def slack_bot():
    return "xo" + "xb-" + rand(DIGITS, 12) + "-" + rand(DIGITS, 13) + "-" + rand(BASE62, 24)


def slack_webhook():
    return ("https://hooks." + "slack.com/services/T" + rand(BASE32[:26] + DIGITS, 10) + "/B" +
            rand(BASE32[:26] + DIGITS, 10) + "/" + rand(BASE62, 24))


def stripe_live():
    return "sk" + "_live_" + rand(BASE62, 24 + secrets.randbelow(75))


def google_api_key():
    return "AI" + "za" + rand(BASE62 + "-_", 35)


def npm_token():
    return "np" + "m_" + rand(BASE62, 36)


def postgres_uri():
    user = secrets.choice(["app", "svc_orders", "reporting", "django", "billing"])
    host = secrets.choice(["db.internal", "10.0.3.17", "pg-main.prod.local", "postgres"])
    return "postgres" + "ql://" + user + ":" + rand(BASE62, 20) + "@" + host + ":5432/" + user


def mysql_uri():
    user = secrets.choice(["root", "wordpress", "shop", "analytics"])
    return "mysql" + "://" + user + ":" + rand(BASE62, 18) + "@mysql.internal:3306/" + user


def generic_password():
    return rand(BASE62 + "!#%*+-_", 22)


def openssl_key(args):
    out = subprocess.run(["openssl"] + args, check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()


def rsa_key():
    # PKCS#1 ("RSA PRIVATE KEY") via -traditional.
    return openssl_key(["genrsa", "-traditional", "2048"])


def pkcs8_key():
    return openssl_key(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])


def ec_key():
    return openssl_key(["ecparam", "-name", "prime256v1", "-genkey", "-noout"])


def assignment(name, value, ext):
    if ext in (".py", ".pyi"):
        return f'{name.upper()} = "{value}"'
    if ext in (".pm", ".pl", ".t"):
        return f"my ${name} = '{value}';"
    if ext in (".js", ".ts", ".mjs"):
        return f'const {name} = "{value}";'
    if ext in (".json",):
        return f'"{name}": "{value}",'
    if ext in (".yml", ".yaml"):
        return f"{name}: {value}"
    if ext in (".sh", ".bash", ".env", ""):
        return f'export {name.upper()}="{value}"'
    if ext in (".h", ".c", ".hpp", ".cc", ".cpp", ".hh", ".hxx"):
        return f'static const char* const k_{name} = "{value}";'
    return f'{name} = "{value}"'


def plant_items(ext):
    """One planted group: (list of (kind, line offset in block)), block lines."""
    choice = secrets.randbelow(14)
    if choice == 0:
        key_id = "AK" + "IA" + rand(BASE32, 16)
        secret = rand(BASE64, 40)
        return ([("aws-access-key-id", 0), ("aws-secret-access-key", 1)],
                ["aws_access_key_id = " + key_id, "aws_secret_access" + "_key = " + secret])
    if choice == 1:
        return [("github-pat-classic", 0)], [assignment("github_token", github_classic(), ext)]
    if choice == 2:
        return [("github-pat-fine-grained", 0)], [assignment("gh_token", github_fine_grained(), ext)]
    if choice == 3:
        return [("slack-bot-token", 0)], [assignment("slack_bot_token", slack_bot(), ext)]
    if choice == 4:
        return [("slack-webhook", 0)], [assignment("slack_webhook_url", slack_webhook(), ext)]
    if choice == 5:
        return [("stripe-live-secret", 0)], [assignment("stripe_api_key", stripe_live(), ext)]
    if choice == 6:
        return [("google-api-key", 0)], [assignment("maps_api_key", google_api_key(), ext)]
    if choice == 7:
        return [("npm-token", 0)], [assignment("npm_auth_token", npm_token(), ext)]
    if choice == 8:
        return [("postgres-uri", 0)], [assignment("database_url", postgres_uri(), ext)]
    if choice == 9:
        return [("mysql-uri", 0)], [assignment("mysql_dsn", mysql_uri(), ext)]
    if choice == 10:
        return [("generic-password", 0)], [assignment("db_password", generic_password(), ext)]
    if choice == 11:
        return [("private-key-rsa", 0)], rsa_key()
    if choice == 12:
        return [("private-key-pkcs8", 0)], pkcs8_key()
    return [("private-key-ec", 0)], ec_key()


def collect_sources(rng):
    files = []
    seen = set()
    for root in SOURCE_ROOTS:
        for directory, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != ".git")
            for name in sorted(names):
                path = os.path.join(directory, name)
                if os.path.islink(path):
                    continue
                ext = os.path.splitext(name)[1].lower()
                if ext in SKIP_EXTENSIONS:
                    continue
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                if info.st_size == 0 or info.st_size > MAX_FILE or (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
                files.append((path, info.st_size))
    rng.shuffle(files)
    return files


def read_text(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    # Whole file free of NUL: cat, rg and keyhound all read every byte of every corpus file.
    return None if b"\0" in data else data


def mutate(data, round_index):
    if round_index == 0:
        return data
    a, b = SWAPS[round_index % len(SWAPS)]
    c, d = SWAPS[(round_index * 3 + 1) % len(SWAPS)]
    marker = b"\x01\x02"
    for x, y in ((a, b), (c, d)):
        data = data.replace(x, marker).replace(y, x).replace(marker, y)
    return data


def target_name(source, round_index):
    relative = source.lstrip("/")
    if round_index == 0:
        return os.path.join("r0", relative)
    head, name = os.path.split(relative)
    stem, ext = os.path.splitext(name)
    return os.path.join(f"r{round_index}", head, f"{stem}_v{round_index}{ext}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("size_mb", type=int)
    parser.add_argument("--planted", type=int, default=400, help="number of planted groups")
    parser.add_argument("--seed", type=int, default=20261129, help="seed for file choice (not secrets)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    target = args.size_mb << 20
    sources = collect_sources(rng)
    if not sources:
        sys.exit("no source files found")

    written = []  # (relative path, ext)
    total = 0
    round_index = 0
    while total < target:
        for source, _ in sources:
            data = read_text(source)
            if data is None:
                continue
            relative = target_name(source, round_index)
            full = os.path.join(args.out_dir, relative)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as handle:
                handle.write(mutate(data, round_index))
            written.append(relative)
            total += len(data)
            if total >= target:
                break
        round_index += 1
        if round_index > 50:
            sys.exit("not enough text on this machine")

    # Plant each group in a different file, at a random line boundary.
    chosen = rng.sample(written, min(args.planted, len(written)))
    rows = []
    for relative in sorted(chosen):
        full = os.path.join(args.out_dir, relative)
        with open(full, "rb") as handle:
            lines = handle.read().split(b"\n")
        ext = os.path.splitext(relative)[1].lower()
        kinds, block = plant_items(ext)
        at = rng.randrange(0, max(1, len(lines) - 1))
        lines[at:at] = [line.encode() for line in block]
        with open(full, "wb") as handle:
            handle.write(b"\n".join(lines))
        for kind, offset in kinds:
            # 1-based line of the secret, and how many lines the planted block spans from there.
            span = len(block) - offset if kind.startswith("private-key") else 1
            rows.append((relative, at + 1 + offset, kind, span))
    planted = os.path.join(os.path.dirname(os.path.abspath(args.out_dir)), "planted.tsv")
    with open(planted, "w") as handle:
        handle.write("path\tline\tkind\tlines\n")
        for row in rows:
            handle.write("\t".join(str(x) for x in row) + "\n")
    print(f"corpus: {len(written)} files, {total / 1e6:.0f} MB (+ planted), {round_index} round(s); "
          f"{len(rows)} planted secrets in {len(chosen)} files -> {planted}")


if __name__ == "__main__":
    main()
