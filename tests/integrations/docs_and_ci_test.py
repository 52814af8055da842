#!/usr/bin/python3
"""Every fenced snippet of README.md and docs/*.md, and the CI templates (action.yml,
ci/gitlab.yml), run or validated against repositories built here with git itself.

  sh blocks        run command by command in a fixture repository, keyhound on PATH; a keyhound
                   command may exit 0 or 1 (findings), anything else must exit 0
  yaml blocks      loaded, then by kind: a .keyhound.yml goes through keyhound's own reader, a rule
                   file through `keyhound rules check`, a GitHub workflow's fields are checked and its
                   scan step run, a GitLab job's script run, a pre-commit config driven by the real
                   pre-commit
  marked blocks    `<!-- docs-test: KIND -->` before a block: README's two commands and the install
                   commands are checked against the scripts and the package they name

Environment: KEYHOUND_BIN, KEYHOUND_SOURCE_DIR, KEYHOUND_CACHE_DIR (set by tests/CMakeLists.txt).
Run with Debian's /usr/bin/python3 (python3-yaml)."""

import glob
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

SOURCE = os.environ["KEYHOUND_SOURCE_DIR"]
BIN = os.environ["KEYHOUND_BIN"]
CACHE = os.environ["KEYHOUND_CACHE_DIR"]
PROJECT_URL = "https://github.com/keyhound/keyhound"

# The secrets of the fixture repository the docs' examples are written against: synthetic
# (random, right shape), made for these tests.
AWS_KEY = "AKIAOU56SVVQP74SYTF3"
STRIPE_KEY = "sk_live_p5WJjkVlidCezfY3ghiVTQz4t5Jiz3px"
BRANCH_KEY = "AKIAXYSZFMO65ZI36SOE"  # added on a branch, for the CI range scans

LANGUAGES = {"sh", "yaml", "json", "text", "python", "sql", "dot", "toml", "lua", "elisp"}
CONFIG_KEYS = {"exclude", "rules", "allowlist", "disable", "min_confidence", "allow_foreign_comments", "events_bus"}


def read(path):
    with open(path, encoding="utf-8") as file:
        return file.read()


def fingerprint(rule_id, secret):
    return hashlib.sha256((rule_id + "\0" + secret).encode()).hexdigest()[:16]


DOC_SECRETS = [("aws.access-key-id", AWS_KEY), ("stripe.secret-key", STRIPE_KEY), ("aws.access-key-id", BRANCH_KEY)]


def with_keyed_fingerprints(text, baseline_path):
    """The docs write the fixture's fingerprints as the unkeyed SHA-256 gives them; a baseline keys
    them with its own random key (HMAC-SHA256, docs/baseline.md), so each documented fingerprint,
    or prefix of one, becomes the one the fixture's baseline holds."""
    try:
        with open(baseline_path, encoding="utf-8") as file:
            key = json.load(file)["fingerprint_key"]
    except (OSError, ValueError, KeyError):
        return text
    for rule_id, secret in DOC_SECRETS:
        documented = fingerprint(rule_id, secret)
        message = ("keyhound fingerprint\0" + rule_id + "\0" + secret).encode()
        actual = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:16]
        text = re.sub(r"\b(%s[0-9a-f]{0,10})\b" % documented[:6],
                      lambda m: actual[:len(m.group(1))] if documented.startswith(m.group(1)) else m.group(1), text)
    return text


class Snippet:
    def __init__(self, file, line, language, marker, text):
        self.file, self.line, self.language, self.marker, self.text = file, line, language, marker, text

    def where(self):
        return "%s:%d" % (os.path.relpath(self.file, SOURCE), self.line)


def snippets_of(path):
    lines = read(path).split("\n")
    out, i, marker = [], 0, None
    while i < len(lines):
        m = re.match(r"^<!-- docs-test: (\S+) -->$", lines[i])
        if m:
            marker = m.group(1)
        fence = re.match(r"^```(\S*)\s*$", lines[i])
        if fence:
            end = i + 1
            while not lines[end].startswith("```"):
                end += 1
            out.append(Snippet(path, i + 1, fence.group(1), marker, "\n".join(lines[i + 1:end]) + "\n"))
            marker, i = None, end
        elif lines[i].strip() and not m:
            marker = None
        i += 1
    return out


def documents():
    return [os.path.join(SOURCE, "README.md")] + sorted(glob.glob(os.path.join(SOURCE, "docs", "*.md")))


def commands_of(text):
    """One command per logical line (backslash continuations joined), comments and blanks dropped."""
    out, pending = [], ""
    for raw in text.split("\n"):
        line = pending + raw
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if line.strip() and not line.strip().startswith("#"):
            out.append(line.strip())
    return out


class Fixture:
    """A repository named `shop` with the docs' secrets committed on main, an origin, a tag, a
    branch that adds one more key, and a nested repository; keyhound on PATH; an empty HOME."""

    def __init__(self):
        self.temp = tempfile.mkdtemp(prefix="keyhound-docs-")
        self.bin = os.path.join(self.temp, "bin")
        os.makedirs(self.bin)
        os.symlink(BIN, os.path.join(self.bin, "keyhound"))
        os.makedirs(os.path.join(self.temp, "home"))
        self.env = {
            "PATH": self.bin + ":/usr/bin:/bin", "HOME": os.path.join(self.temp, "home"),
            "KEYHOUND_CACHE_DIR": CACHE, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_AUTHOR_NAME": "Ann Dev", "GIT_AUTHOR_EMAIL": "ann@example.com",
            "GIT_COMMITTER_NAME": "Ann Dev", "GIT_COMMITTER_EMAIL": "ann@example.com",
            "LANG": "C.UTF-8", "NO_COLOR": "1",
        }
        self.repo = os.path.join(self.temp, "shop")
        self.origin = os.path.join(self.temp, "origin.git")
        self.write("config/app.env", "AWS_ACCESS_KEY_ID=%s\n" % AWS_KEY)
        self.write("billing/settings.py", "STRIPE_KEY = \"%s\"\n" % STRIPE_KEY)
        self.write("tools/keyhound-rules.yml",
                   "rules:\n  - id: shop.ticket-token\n    name: Shop ticket token\n"
                   "    pattern: '\\b(SHOPTKT-[0-9a-f]{16})\\b'\n"
                   "    examples: ['ticket SHOPTKT-7f3a9c2e1b5d4068']\n")
        self.write("path/to/repo/README", "nested\n")
        self.git("init", "-q", "-b", "main", ".", cwd=os.path.join(self.repo, "path/to/repo"))
        self.git("add", "-A", cwd=os.path.join(self.repo, "path/to/repo"))
        self.git("commit", "-qm", "nested", cwd=os.path.join(self.repo, "path/to/repo"))
        self.git("init", "-q", "-b", "main", ".")
        self.write(".gitignore", "path/\n")
        self.git("add", "-A")
        self.git("commit", "-qm", "shop")
        self.git("tag", "v2.0")
        self.git("init", "-q", "--bare", self.origin, cwd=self.temp)
        self.git("remote", "add", "origin", self.origin)
        self.git("push", "-q", "origin", "main")
        self.git("fetch", "-q", "origin")
        self.main = self.git("rev-parse", "HEAD").strip()
        self.git("checkout", "-q", "-b", "feature")
        self.write("deploy/ci.env", "AWS_ACCESS_KEY_ID=%s\n" % BRANCH_KEY)
        self.git("add", "-A")
        self.git("commit", "-qm", "deploy settings")
        self.head = self.git("rev-parse", "HEAD").strip()

    def write(self, relative, content):
        path = os.path.join(self.repo, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(content)
        return path

    def git(self, *args, cwd=None):
        result = subprocess.run(["git"] + list(args), cwd=cwd or self.repo, env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError("git %s: %s" % (" ".join(args), result.stderr))
        return result.stdout

    def run(self, command, env=None, cwd=None):
        full = dict(self.env, **(env or {}))
        command = with_keyed_fingerprints(command, os.path.join(cwd or self.repo, ".keyhound-baseline.json"))
        if re.search(r" -i( |$)", command):  # an interactive prompt: on a terminal, answered "q(uit)"
            return subprocess.run(["script", "-qefc", command, "/dev/null"], cwd=cwd or self.repo, env=full,
                                  capture_output=True, text=True, input="q\n", timeout=600)
        return subprocess.run(["bash", "-c", command], cwd=cwd or self.repo, env=full, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=600)

    def close(self):
        shutil.rmtree(self.temp, ignore_errors=True)


class SecretsManager:
    """tests/aws/secretsmanager_server.py on a free port, with synthetic credentials."""

    KEY_ID, SECRET = "AKIDDOCSTEST0000EXMP", "docs-test-secret-access-key-0000000000000"

    def __init__(self):
        env = dict(os.environ, KEYHOUND_TEST_CREDENTIALS=json.dumps(
            [{"access_key_id": self.KEY_ID, "secret_access_key": self.SECRET}]))
        self.process = subprocess.Popen(["/usr/bin/python3", os.path.join(SOURCE, "tests/aws/secretsmanager_server.py")],
                                        env=env, stdout=subprocess.PIPE, text=True)
        self.url = "http://127.0.0.1:%s" % self.process.stdout.readline().strip()

    def env(self):
        return {"AWS_ACCESS_KEY_ID": self.KEY_ID, "AWS_SECRET_ACCESS_KEY": self.SECRET, "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER": self.url, "AWS_ENDPOINT_URL_SNS": self.url,
                "AWS_ENDPOINT_URL_EVENTBRIDGE": self.url}

    def close(self):
        self.process.terminate()
        self.process.wait()
        self.process.stdout.close()


class DocsSnippets(unittest.TestCase):
    def test_every_block_says_what_it_is(self):
        for path in documents():
            for snippet in snippets_of(path):
                self.assertIn(snippet.language, LANGUAGES,
                              "%s: a fenced block needs a language (sh, yaml, text...)" % snippet.where())

    def test_readme_commands_are_the_scripts_ci_runs(self):
        marked = {s.marker: s for s in snippets_of(os.path.join(SOURCE, "README.md")) if s.marker}
        run = commands_of(marked["run-command"].text)
        self.assertEqual(run, ["bash scripts/setup.sh && build/keyhound scan testdata/"])
        test = commands_of(marked["test-command"].text)
        self.assertEqual(test, ["bash scripts/test.sh"])
        ci = [line for line in commands_of(read(os.path.join(SOURCE, ".ci/run"))) if not line.startswith(("set ", "cd "))]
        self.assertEqual(ci, test, ".ci/run must call exactly the README's test command")
        # The run command's scan, on the bundled corpus: findings (exit 1), none of them in full.
        scan = subprocess.run([BIN, "scan", "--format", "json", "testdata/"], cwd=SOURCE, capture_output=True, text=True,
                              env=dict(os.environ, KEYHOUND_CACHE_DIR=CACHE))
        self.assertEqual(scan.returncode, 1, scan.stderr)
        self.assertGreater(len(json.loads(scan.stdout)["findings"]), 100)

    def test_install_commands_name_what_the_build_makes(self):
        marked = {s.marker: s for s in snippets_of(os.path.join(SOURCE, "README.md")) if s.marker}
        version = re.search(r"project\(keyhound VERSION (\S+)", read(os.path.join(SOURCE, "CMakeLists.txt"))).group(1)
        deb = commands_of(marked["install-deb"].text)
        self.assertEqual(deb, ["bash scripts/setup.sh && (cd build && cpack -G DEB)",
                               "sudo apt-get install ./build/keyhound_%s_amd64.deb" % version])
        self.assertEqual(commands_of(marked["install-source"].text), ["bash scripts/setup.sh && sudo cmake --install build"])
        # What those commands rely on (the package's build and contents: tests/e2e/install_test.cpp).
        install_rules = read(os.path.join(SOURCE, "cmake/install.cmake"))
        self.assertIn("set(CPACK_GENERATOR DEB)", install_rules)
        self.assertIn("set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)", install_rules)

    def test_shell_snippets_run(self):
        for path in documents():
            snippets = [s for s in snippets_of(path) if s.language == "sh" and s.marker is None or s.marker == "agent-call"]
            if not snippets:
                continue
            with self.subTest(document=os.path.relpath(path, SOURCE)):
                fixture, server = Fixture(), SecretsManager()
                try:
                    transcript = ""
                    for snippet in snippets:
                        if snippet.marker == "agent-call":
                            self.check_agent_call(snippet, transcript, fixture)
                            continue
                        for command in commands_of(snippet.text):
                            result = fixture.run(command, env=server.env())
                            transcript += result.stdout + result.stderr
                            allowed = (0, 1) if command.startswith("keyhound ") else (0,)
                            self.assertIn(result.returncode, allowed, "%s: `%s` exited %d:\n%s%s" % (
                                snippet.where(), command, result.returncode, result.stdout, result.stderr))
                finally:
                    server.close()
                    fixture.close()

    def check_agent_call(self, snippet, transcript, fixture):
        """The Secrets Manager Agent call the docs show is the one `keyhound vault` printed."""
        text = with_keyed_fingerprints(snippet.text, os.path.join(fixture.repo, ".keyhound-baseline.json"))
        secret_id = re.search(r"secretId=([^'\" ]+)", text)
        self.assertIsNotNone(secret_id, snippet.where())
        self.assertIn("secretId=" + secret_id.group(1), transcript, "%s: vault printed no such call" % snippet.where())
        # The token from AWS_TOKEN (Lambda, ECS, EKS) or the EC2 token file.
        self.assertIn("X-Aws-Parameters-Secrets-Token: ${AWS_TOKEN:-$(cat /var/run/awssmatoken)}", text)

    def test_json_and_toml_snippets_parse(self):
        import tomllib
        for path in documents():
            for snippet in snippets_of(path):
                if snippet.language in ("json", "toml"):
                    with self.subTest(snippet=snippet.where()):
                        (json.loads if snippet.language == "json" else tomllib.loads)(snippet.text)

    def test_yaml_snippets_load_and_work(self):
        for path in documents():
            for snippet in snippets_of(path):
                if snippet.language != "yaml":
                    continue
                with self.subTest(snippet=snippet.where()):
                    document = yaml.safe_load(snippet.text)
                    self.assertIsInstance(document, dict, snippet.where())
                    kind = yaml_kind(document)
                    self.assertIsNotNone(kind, "%s: cannot tell what this YAML is" % snippet.where())
                    getattr(self, "check_" + kind)(snippet, document)

    def check_keyhound_config(self, snippet, document):
        fixture = Fixture()
        server = SecretsManager() if "events_bus" in document else None  # new findings go to its EventBridge
        try:
            fixture.write(".keyhound.yml", snippet.text)
            result = fixture.run("keyhound scan .", env=server.env() if server else None)
            self.assertIn(result.returncode, (0, 1), "%s: %s" % (snippet.where(), result.stderr))
            self.assertNotIn("error", result.stderr)
            if server:  # every event published: none "not published to ..."
                self.assertNotIn("warning", result.stderr)
        finally:
            if server:
                server.close()
            fixture.close()

    def check_rule_file(self, snippet, document):
        fixture = Fixture()
        try:
            path = fixture.write("rules.yml", snippet.text)
            result = fixture.run("keyhound rules check " + path)
            self.assertEqual(result.returncode, 0, "%s: %s%s" % (snippet.where(), result.stdout, result.stderr))
        finally:
            fixture.close()

    def check_github_workflow(self, snippet, document):
        check_github_workflow(self, snippet.where(), document)

    def check_gitlab_job(self, snippet, document):
        for name, job in document.items():
            if isinstance(job, dict) and "script" in job:
                check_gitlab_script(self, "%s job %s" % (snippet.where(), name), job)

    def check_gitlab_include(self, snippet, document):
        for entry in document["include"]:
            remote = entry["remote"]
            self.assertTrue(remote.startswith(PROJECT_URL.replace("github.com", "raw.githubusercontent.com")), remote)
            self.assertTrue(os.path.exists(os.path.join(SOURCE, remote.split("/main/", 1)[1])), remote)

    def check_pre_commit_config(self, snippet, document):
        check_pre_commit_config(self, snippet.where(), snippet.text)


def yaml_kind(document):
    if "jobs" in document:
        return "github_workflow"
    if "repos" in document:
        return "pre_commit_config"
    if set(document) == {"include"}:
        return "gitlab_include"
    if any(isinstance(job, dict) and "script" in job for job in document.values()):
        return "gitlab_job"
    rules = document.get("rules")
    if isinstance(rules, list) and rules and isinstance(rules[0], dict):
        return "rule_file"
    if set(document) <= CONFIG_KEYS:
        return "keyhound_config"
    return None


def github_expressions(text, event):
    values = {"github.event_name": event, "github.base_ref": "main" if event == "pull_request" else "",
              "github.event.before": "0" * 40}
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: values.get(m.group(1), "UNKNOWN(%s)" % m.group(1)), text)


def check_github_workflow(test, where, workflow):
    jobs = list(workflow["jobs"].values())
    steps = [step for job in jobs for step in job["steps"]]
    uses = [step.get("uses", "") for step in steps]
    # A workflow that uploads SARIF needs security-events: write (at the top or in the job).
    if any(u.startswith("github/codeql-action/upload-sarif") or u.startswith("keyhound/keyhound") for u in uses):
        permissions = dict(workflow.get("permissions") or {})
        for job in jobs:
            permissions.update(job.get("permissions") or {})
        test.assertEqual(permissions.get("security-events"), "write", "%s: needs permissions: security-events: write" % where)
        test.assertEqual(permissions.get("contents"), "read", where)
    checkout = [s for s in steps if s.get("uses", "").startswith("actions/checkout")]
    test.assertTrue(checkout and checkout[0].get("with", {}).get("fetch-depth") == 0, "%s: checkout needs fetch-depth: 0" % where)
    scans = [i for i, s in enumerate(steps) if "keyhound scan" in s.get("run", "")]
    action = [i for i, u in enumerate(uses) if u.startswith("keyhound/keyhound")]
    test.assertTrue(scans or action, "%s: nothing runs keyhound" % where)
    if scans:
        installs = [i for i, s in enumerate(steps) if "cmake --install" in s.get("run", "") or
                    "apt-get install" in s.get("run", "")]
        test.assertTrue(installs and installs[0] < scans[0], "%s: keyhound must be installed before it runs" % where)
        for i in scans:
            for event in ("pull_request", "push"):
                # The scan runs with no baseline yet and must leave a report for the upload step.
                fixture = Fixture()
                try:
                    result = fixture.run(github_expressions(steps[i]["run"], event), env={"GITHUB_OUTPUT": "/dev/null"})
                    test.assertIn(result.returncode, (0, 1), "%s (%s): %s" % (where, event, result.stderr))
                    outputs = re.findall(r"--output (\S+)", steps[i]["run"])
                    for output in outputs:
                        report = os.path.join(fixture.repo, output)
                        test.assertTrue(os.path.exists(report), "%s (%s): no %s" % (where, event, output))
                    uploads = [s for s in steps[i + 1:] if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
                    for upload in uploads:
                        test.assertIn("always()", str(upload.get("if", "")), "%s: the upload must run after findings" % where)
                        test.assertIn(upload["with"]["sarif_file"], outputs, where)
                finally:
                    fixture.close()


def check_gitlab_script(test, where, job):
    script = "\n".join(job["script"])
    test.assertEqual(job.get("variables", {}).get("GIT_DEPTH"), 0, "%s: needs GIT_DEPTH: 0" % where)
    scenarios = {
        "merge request": lambda f: {"CI_MERGE_REQUEST_DIFF_BASE_SHA": f.main},
        "push": lambda f: {"CI_COMMIT_BEFORE_SHA": f.main, "CI_COMMIT_BRANCH": "feature", "CI_DEFAULT_BRANCH": "main"},
        "new branch": lambda f: {"CI_COMMIT_BEFORE_SHA": "0" * 40, "CI_COMMIT_BRANCH": "feature", "CI_DEFAULT_BRANCH": "main"},
        # The previous tip was rewritten away (force-push): it is not in the history any more.
        "force-push": lambda f: {"CI_COMMIT_BEFORE_SHA": "1234567890abcdef1234567890abcdef12345678",
                                 "CI_COMMIT_BRANCH": "feature", "CI_DEFAULT_BRANCH": "main"},
    }
    for name, variables in scenarios.items():
        fixture = Fixture()
        try:
            env = dict(variables(fixture), KEYHOUND_BASELINE=".keyhound-baseline.json")
            result = fixture.run("set -eo pipefail\n" + script, env=env)
            test.assertIn(result.returncode, (0, 1), "%s (%s): %s%s" % (where, name, result.stdout, result.stderr))
            outputs = re.findall(r"--output (\S+)", script)
            for output in outputs:
                path = os.path.join(fixture.repo, output)
                test.assertTrue(os.path.exists(path), "%s (%s): no %s" % (where, name, output))
                if output.endswith(".json"):
                    secrets = [f["rule_id"] for f in json.loads(read(path))["findings"]]
                    # Every scenario covers what the branch added; none reports main's keys again.
                    test.assertEqual(secrets, ["aws.access-key-id"], "%s (%s)" % (where, name))
        finally:
            fixture.close()


def check_pre_commit_config(test, where, text):
    """The real pre-commit installs the hook from a local repository publishing this tree's
    .pre-commit-hooks.yaml (standing in for PROJECT_URL) and refuses a commit adding a key."""
    config = yaml.safe_load(text)
    entry = config["repos"][0]
    test.assertEqual(entry["repo"], PROJECT_URL, "%s: the repository's address" % where)
    fixture = Fixture()
    try:
        hooks = os.path.join(fixture.temp, "hooks")
        os.makedirs(hooks)
        shutil.copy(os.path.join(SOURCE, ".pre-commit-hooks.yaml"), hooks)
        fixture.git("init", "-q", "-b", "main", ".", cwd=hooks)
        fixture.git("add", "-A", cwd=hooks)
        fixture.git("commit", "-qm", "hooks", cwd=hooks)
        fixture.git("tag", str(entry["rev"]), cwd=hooks) if entry["rev"] != "main" else None
        fixture.write(".pre-commit-config.yaml", text.replace(PROJECT_URL, hooks))
        fixture.git("add", ".pre-commit-config.yaml")
        fixture.git("commit", "-qm", "pre-commit")
        env = {"PRE_COMMIT_HOME": os.path.join(fixture.temp, "pre-commit")}
        installed = fixture.run("pre-commit install", env=env)
        test.assertEqual(installed.returncode, 0, installed.stdout + installed.stderr)
        fixture.write("more.env", "AWS_ACCESS_KEY_ID=AKIAQ4TZ7MBN2XWKD5RH\n")  # synthetic
        fixture.git("add", "more.env")
        refused = fixture.run("git commit -qm key", env=env)
        test.assertNotEqual(refused.returncode, 0, "%s: the hook let a key through" % where)
        test.assertIn("aws.access-key-id", refused.stdout + refused.stderr)
        fixture.write("more.env", "MODE=dev\n")
        fixture.git("add", "more.env")
        accepted = fixture.run("git commit -qm clean", env=env)
        test.assertEqual(accepted.returncode, 0, accepted.stdout + accepted.stderr)
    finally:
        fixture.close()


class CiTemplates(unittest.TestCase):
    def test_action_is_a_composite_that_scans_uploads_and_fails_on_findings(self):
        action = yaml.safe_load(read(os.path.join(SOURCE, "action.yml")))
        self.assertEqual(action["runs"]["using"], "composite")
        steps = {step["name"]: step for step in action["runs"]["steps"]}
        self.assertEqual(list(steps), ["Install keyhound", "Scan", "Upload SARIF to code scanning", "Fail on findings"])
        upload = steps["Upload SARIF to code scanning"]
        self.assertEqual(upload["uses"], "github/codeql-action/upload-sarif@v3")
        self.assertIn("always()", upload["if"])
        scan = steps["Scan"]
        self.assertNotIn("${{", scan["run"], "expressions go through env:, never into the script")
        for event, expected in (("pull_request", ["aws.access-key-id"]),
                                ("push", ["aws.access-key-id", "aws.access-key-id", "stripe.secret-key"])):
            fixture = Fixture()
            try:
                output = os.path.join(fixture.temp, "github-output")
                env = {"EVENT": event, "BASE_REF": "main", "BASELINE": ".keyhound-baseline.json",
                       "SARIF": "keyhound.sarif", "GITHUB_OUTPUT": output}
                result = fixture.run(scan["run"], env=env)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertEqual(read(output), "exit-code=1\n")
                sarif = json.loads(read(os.path.join(fixture.repo, "keyhound.sarif")))
                self.assertEqual(sarif["version"], "2.1.0")
                self.assertEqual(sorted(r["ruleId"] for r in sarif["runs"][0]["results"]), expected, event)
            finally:
                fixture.close()

    def test_gitlab_template_scans_ranges_and_tolerates_force_pushes(self):
        template = yaml.safe_load(read(os.path.join(SOURCE, "ci/gitlab.yml")))
        check_gitlab_script(self, "ci/gitlab.yml", template["keyhound"])

    def test_pre_commit_manifest_works_with_this_machines_pre_commit(self):
        check_pre_commit_config(self, ".pre-commit-hooks.yaml",
                                "repos:\n  - repo: %s\n    rev: main\n    hooks:\n      - id: keyhound\n" % PROJECT_URL)


if __name__ == "__main__":
    unittest.main(verbosity=2)
