#!/usr/bin/python3
"""The translations: every language whole and well formed, the committed template the one the
sources make, each language within the catalog's lengths, and every text a user reads going
through gettext: the real programs run in a pseudo-language whose every message is bracketed,
and no English may show outside the brackets, while the journal stays English."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unicodedata
import unittest

import harness
from harness import Daemon, wait_until

BUILD = os.path.abspath(sys.argv.pop(1))  # the programs' directory, bin/ of the build tree
BUILD_TREE = os.path.dirname(BUILD)
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PO = os.path.join(SOURCE, "po")
LANGUAGES = [line.strip() for line in open(os.path.join(PO, "LINGUAS")) if line.strip() and not line.startswith("#")]
# What the catalog's check holds the English to (core/stretch.cpp), for every language, in columns.
MAX_STEPS, MAX_DOSE = 170, 48
PLURAL_FORMS = {"pl": 3, "ru": 3, "ja": 1, "zh_CN": 1}


def need(*tools):
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        raise SystemExit(f"FAIL: {', '.join(missing)} not installed (.ci/install-deps installs gettext)")


def run(*command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def entries(po_text):
    """(comments, msgid, msgid_plural, [msgstr...], fuzzy) of each entry of a PO file, the header
    left out."""
    found = []
    for block in re.split(r"\n\s*\n", po_text.strip()):
        fields, comments, key = {}, [], None
        for line in block.splitlines():
            if line.startswith("#"):
                comments.append(line)
                continue
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
        unescape = lambda s: re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), s)
        strings = [unescape(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        found.append((comments, unescape(fields["msgid"]), unescape(fields.get("msgid_plural", "")), strings,
                      any("fuzzy" in c for c in comments if c.startswith("#,"))))
    return found


def columns(text):
    """How wide a text is on screen, in columns: a Chinese or Japanese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class CatalogsTest(unittest.TestCase):
    """The .po files themselves."""

    @classmethod
    def setUpClass(cls):
        need("msgfmt", "msgcmp", "msginit", "msgfilter")
        cls.fresh = os.path.join(BUILD_TREE, "po", "postured.pot")
        if not os.path.exists(cls.fresh):
            raise SystemExit(f"FAIL: no {cls.fresh}: the build makes it (target fresh-pot)")

    def test_every_language_compiles_with_its_conversions_checked(self):
        for language in LANGUAGES:
            with self.subTest(language):
                result = run("msgfmt", "--check", "--verbose", "-o", "/dev/null", os.path.join(PO, language + ".po"))
                self.assertEqual(result.returncode, 0, result.stderr)

    def test_the_committed_template_is_the_one_the_sources_make(self):
        committed = {e[1]: e for e in entries(read(os.path.join(PO, "postured.pot")))}
        fresh = {e[1]: e for e in entries(read(self.fresh))}
        update = "cmake --build BUILD --target update-po"
        self.assertEqual(sorted(set(fresh) - set(committed)), [], f"messages not in po/postured.pot: {update}")
        self.assertEqual(sorted(set(committed) - set(fresh)), [], "messages in po/postured.pot the sources no longer have")
        # The translators' comments, the places, the c-format flags and the plurals too.
        changed = [m for m in fresh if (fresh[m][0], fresh[m][2]) != (committed[m][0], committed[m][2])]
        self.assertEqual(changed, [], f"messages whose comments, flags or plural changed: {update}")

    def test_every_language_translates_every_message_of_the_template(self):
        template = {e[1]: e for e in entries(read(self.fresh))}
        for language in LANGUAGES:
            with self.subTest(language):
                translated = {e[1]: e for e in entries(read(os.path.join(PO, language + ".po")))}
                self.assertEqual(sorted(set(template) - set(translated)), [], "missing")
                untranslated = [m for m, e in translated.items() if m in template and (e[4] or not all(e[3]))]
                self.assertEqual(untranslated, [], "untranslated or fuzzy")

    def test_plural_forms_are_the_languages_own(self):
        for language in LANGUAGES:
            with self.subTest(language):
                header = re.search(r'"Plural-Forms: nplurals=(\d+);', read(os.path.join(PO, language + ".po")))
                self.assertIsNotNone(header)
                self.assertEqual(int(header.group(1)), PLURAL_FORMS.get(language, 2))

    def test_every_language_keeps_the_catalogs_lengths(self):
        """The steps of a stretch fit four lines of a GNOME Shell banner and its dose one, in every
        language: the gnome_shell test shows it on the real shell, this says which text is long."""
        template = entries(read(self.fresh))
        steps_of, doses = {}, set()
        for comments, msgid, _, _, _ in template:
            for c in comments:
                if c.startswith("#. A step of the stretch "):
                    steps_of.setdefault(c.rsplit(" ", 1)[1], []).append(msgid)
                if c.startswith("#. The dose"):
                    doses.add(msgid)
        self.assertGreater(len(steps_of), 10)
        for language in LANGUAGES:
            translated = {e[1]: e[3][0] for e in entries(read(os.path.join(PO, language + ".po")))}
            for stretch, steps in steps_of.items():
                text = " ".join(translated[s] for s in steps)
                with self.subTest(language=language, stretch=stretch):
                    self.assertLessEqual(columns(text), MAX_STEPS, text)
            for dose in doses:
                with self.subTest(language=language, dose=dose):
                    self.assertLessEqual(columns(translated[dose]), MAX_DOSE, translated[dose])


BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
# The command line's own words, which the help and the messages name as they are typed.
COMMAND_LINE_WORDS = {"posturectl", "postured", "json", "help", "version", "toggle", "follow", "stretch", "until",
                      "days", "week", "month", "open", "list", "show", "bash", "zsh", "fish", "none", "config",
                      "check", "completions", "status", "break", "snooze", "skip", "done", "pause", "resume",
                      "reload", "stretches", "stats", "action", "duration", "file", "shell", "id", "in"}


def english_left(text, allowed):
    """The words of `text` outside the pseudo-language's brackets that are not in `allowed`."""
    while BRACKETED.search(text):
        text = BRACKETED.sub(" ", text)
    words = re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", text)
    return sorted({w for w in words if w not in allowed})


class PseudoLanguageTest(unittest.TestCase):
    """The programs as installed, with one more language whose messages are each bracketed."""

    @classmethod
    def setUpClass(cls):
        need("msginit", "msgfilter", "msgfmt")
        cls.tmp = tempfile.mkdtemp(prefix="postured-pseudo-")
        prefix = os.path.join(cls.tmp, "prefix")
        os.makedirs(os.path.join(prefix, "bin"))
        for program in ("postured", "posturectl"):
            shutil.copy2(os.path.join(BUILD, program), os.path.join(prefix, "bin", program))
        share = os.path.join(prefix, "share")
        os.makedirs(os.path.join(share, "locale", "en@pseudo", "LC_MESSAGES"))
        os.symlink(os.path.join(BUILD_TREE, "share", "postured"), os.path.join(share, "postured"))
        po = os.path.join(cls.tmp, "pseudo.po")
        fresh = os.path.join(BUILD_TREE, "po", "postured.pot")
        for command in (["msginit", "--no-translator", "--locale=en", "-i", fresh, "-o", po + ".en"],
                        ["msgfilter", "--keep-header", "-i", po + ".en", "-o", po, "sed", "-e", "s/^/⟦/",
                         "-e", "s/$/⟧/"],
                        ["msgfmt", "--check", "-o", os.path.join(share, "locale", "en@pseudo", "LC_MESSAGES",
                                                                 "postured.mo"), po]):
            result = run(*command)
            if result.returncode != 0:
                raise SystemExit(f"FAIL: {' '.join(command)}: {result.stderr}")
        cls.bin = os.path.join(prefix, "bin")
        # gettext takes LANGUAGE only when the locale is not C: a real one, the pseudo-language first.
        cls.env = {"LANG": "de_DE.UTF-8", "LC_ALL": "", "LANGUAGE": "en@pseudo"}
        if "de_DE.utf8" not in run("locale", "-a").stdout.split():
            raise SystemExit("FAIL: no de_DE.UTF-8 locale (.ci/install-deps --test generates it)")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        harness.BUILD = self.bin
        self.work = tempfile.mkdtemp(dir=self.tmp)
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
            # The journal speaks English whatever the session does.
            self.assertNotIn("⟦", self.daemon.stderr())

    def start(self, config=harness.CONFIG):
        self.daemon = Daemon(self.work, config, env=self.env)
        code, out, err = self.daemon.ctl("--json", "stretches", "list")
        self.assertEqual(code, 0, out + err + self.daemon.stderr())
        listed = json.loads(out)["stretches"]
        # No English to translate: the stretch ids, the articles' titles (cited as they are), and
        # the command line's words (CLI11's "in [1 - 366]" among them).
        titles = {w for s in listed for w in re.findall(r"[A-Za-z'-]+", s["source"])}
        self.allowed = {s["id"] for s in listed} | titles | COMMAND_LINE_WORDS
        return self.daemon

    def assert_all_translated(self, *args, code=None):
        result = subprocess.run([os.path.join(self.bin, "posturectl"), *args], capture_output=True, text=True,
                                timeout=20, env=self.daemon.env)
        text = result.stdout + result.stderr
        if code is not None:
            self.assertEqual(result.returncode, code, text)
        # Option names, type names, config keys and paths are the command line's, not words; CLI11's
        # labels (OPTIONS, REQUIRED) are messages and must be bracketed.
        text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*|\b(?:TEXT|INT|UINT|FLOAT|ENUM|BOOLEAN|DURATION|STRETCH|FILE|HH:MM)\b|"
                      r"\{[a-z,]+\}|\b[a-z_]+(?:\.[a-z_]+)+\b|/[^\s)⟧]+", " ", text)
        self.assertEqual(english_left(text, self.allowed), [], result.stdout + result.stderr)
        self.assertIn("⟦", result.stdout + result.stderr)
        return result

    def test_what_posturectl_prints_for_people(self):
        daemon = self.start()
        first = json.loads(daemon.ctl("--json", "stretches", "list")[1])["stretches"][0]["id"]
        for args in (["status"], ["stretches", "list"], ["stretches", "show", first], ["stats"],
                     ["stats", "--month"], ["pause", "2h"], ["resume"], ["break"], ["snooze", "5m"],
                     ["done"], ["reload"], ["--help"], ["pause", "--help"], ["stats", "--help"]):
            with self.subTest(args=args):
                self.assert_all_translated(*args)

    def test_refusals_and_errors(self):
        self.start()
        for args, code in ((["resume"], 1), (["done"], 1), (["stretches", "show", "seated-twst"], 1),
                           (["snooze", "100h"], 1), (["no-such-command"], 2), (["pause", "soon"], 2)):
            with self.subTest(args=args):
                self.assert_all_translated(*args, code=code)

    def test_a_configuration_problem_keeps_its_place_first(self):
        self.start()
        bad = os.path.join(self.work, "bad.toml")
        with open(bad, "w") as f:
            f.write('[schedule]\ninterval = "soon"\n')
        result = self.assert_all_translated("config", "check", bad, code=1)
        self.assertRegex(result.stdout, rf"^{re.escape(bad)}:2:12: schedule\.interval: ⟦")
        result = self.assert_all_translated("config", "check", self.work, code=1)
        self.assertRegex(result.stdout, rf"^{re.escape(self.work)}: ⟦cannot read: ⟦it is a directory, not a file⟧⟧")

    def test_a_users_own_stretch_stays_as_they_wrote_it(self):
        """Even where its words are the catalog's own."""
        own = ('[[stretch]]\nid = "my-twist"\nname = "Seated twist"\nposition = "seated"\n'
               'muscles = ["trapezius"]\nsteps = ["Stretch only as far as is comfortable.", "Breathe."]\n'
               'hold = "5s"\nduration = "1m"\n')
        daemon = self.start(harness.CONFIG + own)
        code, out, err = daemon.ctl("stretches", "show", "my-twist")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith("⟦Seated twist (⟦seated⟧"), out)
        self.assertIn("  1. Stretch only as far as is comfortable.", lines)
        self.assertIn("  2. Breathe.", lines)
        # The catalog's own stretch of that name is translated.
        code, out, _ = daemon.ctl("stretches", "show", "seated-twist")
        self.assertTrue(out.startswith("⟦⟦Seated twist⟧ (⟦seated⟧"), out)

    def test_the_break_on_a_console(self):
        daemon = self.start(harness.CONFIG.replace('interval = "1h"', 'interval = "1s"'))
        # The break ends with a blank line.
        wait_until(lambda: "⟦" in daemon.stdout() and daemon.stdout().endswith("\n\n"), "a break", timeout=15)
        text = re.sub(r"^-+$", "", daemon.stdout(), flags=re.M)
        self.assertEqual(english_left(text, self.allowed), [], daemon.stdout())

    def test_the_break_in_the_journal_is_english(self):
        """Under systemd, with no notification server, the console break is written to the journal."""
        out = os.path.join(self.work, "out")  # the daemon's stdout, as JOURNAL_STREAM names it
        open(out, "w").close()
        stream = os.stat(out)
        self.env = {**self.env, "JOURNAL_STREAM": f"{stream.st_dev}:{stream.st_ino}"}
        daemon = self.start(harness.CONFIG.replace('interval = "1h"', 'interval = "1s"'))
        wait_until(lambda: daemon.stdout().endswith("\n\n"), "a break", timeout=15)
        self.assertIn("Time to stretch: ", daemon.stdout())
        self.assertNotIn("⟦", daemon.stdout())

    def test_a_manager_that_is_gone_is_named_in_english(self):
        """When systemd cannot be told the status (in the user's language), the journal says which
        message it was, in English, and once."""
        gone = os.path.join(self.work, "notify")
        manager = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        manager.bind(gone)
        manager.close()
        # German after the pseudo-language: glibc has German for strerror, the pseudo-language none.
        self.env = {**self.env, "NOTIFY_SOCKET": gone, "LANGUAGE": "en@pseudo:de"}
        daemon = self.start()
        self.assertEqual(daemon.ctl("snooze", "5m")[0], 0)  # a status more, refused too
        wait_until(lambda: "systemd cannot be told" in daemon.stderr(), "the refusal")
        self.assertIn("systemd cannot be told STATUS (Connection refused)", daemon.stderr())
        self.assertEqual(daemon.stderr().count("systemd cannot be told"), 1)

    def test_the_journal_and_glibc_stay_english(self):
        """A daemon that cannot read its config says so in English, strerror's words too."""
        missing = os.path.join(self.work, "missing.toml")
        # German after the pseudo-language: glibc has German for strerror, the pseudo-language none.
        env = {**os.environ, **self.env, "LANGUAGE": "en@pseudo:de"}
        result = subprocess.run([os.path.join(self.bin, "postured"), "--config", missing], capture_output=True,
                                text=True, timeout=20, env=env)
        self.assertEqual(result.returncode, 1)
        self.assertNotIn("⟦", result.stderr)
        self.assertIn("No such file or directory", result.stderr)


if __name__ == "__main__":
    harness.main()
