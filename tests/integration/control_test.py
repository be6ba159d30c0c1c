#!/usr/bin/python3
"""The real postured and the real posturectl over the real control socket."""
import json
import math
import os
import pwd
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import harness
from harness import Daemon, read_line, wait_until

harness.BUILD = sys.argv.pop(1)
POSTURED = os.path.join(harness.BUILD, "postured")
POSTURECTL = os.path.join(harness.BUILD, "posturectl")

CONFIG = harness.CONFIG

# The shapes docs/json.md documents. A tuple allows any of its types; a list holds items of one shape.
STATUS = {"state": str, "presence": str, "inhibited": bool, "in_call": bool, "idle_source": str, "idle_source_note": str,
          "idle_protocol": str, "worked": int, "interval": int, "next_break_in": (int, None),
          "state_ends_in": (int, None), "state_ends_at": (str, None), "held_by": str, "next_stretch": str,
          "next_stretch_id": str, "snoozes_left": int}
STRETCH = {"id": str, "name": str, "position": str, "muscles": [str], "steps": [str], "hold": int, "reps": int, "dose": str,
           "each_side": bool, "duration": int, "source": str, "offered": bool, "favorite": bool,
           "picture": str}
DAY = {"date": str, "done": int, "skipped": int, "missed": int, "dismissed": int, "snoozed": int, "natural": int,
       "adherence": (int, None), "met_goal": bool}
STATS = {"days": [DAY], "adherence": (int, None), "streak": int, "goal_percent": int,
         "most_done": [{"id": str, "name": str, "done": int}]}
ERROR = {"v": int, "ok": bool, "error": {"code": str, "message": str}}


def answer(**keys):
    return {"v": int, "ok": bool, **keys}


def check_shape(value, shape, where="answer"):
    if isinstance(shape, dict):
        assert isinstance(value, dict), f"{where}: {value!r} is not an object"
        assert set(value) == set(shape), f"{where}: keys {sorted(value)} are not {sorted(shape)}"
        for key, inner in shape.items():
            check_shape(value[key], inner, f"{where}.{key}")
    elif isinstance(shape, list):
        assert isinstance(value, list), f"{where}: {value!r} is not a list"
        for i, item in enumerate(value):
            check_shape(item, shape[0], f"{where}[{i}]")
    else:
        types = shape if isinstance(shape, tuple) else (shape,)
        ok = any(value is None if t is None else
                 isinstance(value, t) and not (t is int and isinstance(value, bool)) for t in types)
        assert ok, f"{where}: {value!r} is not {types}"


class ControlTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="postured-control-")
        os.chmod(self.work, 0o755)
        self.daemon = Daemon(self.work)
        self.assertIsNone(self.daemon.process.poll(), self.daemon.stderr())

    def tearDown(self):
        self.daemon.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def ctl(self, *args, env=None, user=None):
        command = [POSTURECTL, *args]
        if user:
            command = ["runuser", "-u", user, "--"] + command
        result = subprocess.run(command, capture_output=True, text=True, timeout=20, env=env or self.daemon.env)
        return result.returncode, result.stdout, result.stderr

    def status(self):
        code, out, err = self.ctl("--json", "status")
        self.assertEqual(code, 0, err)
        reply = json.loads(out)
        self.assertEqual(reply["v"], 1)
        self.assertTrue(reply["ok"])
        return reply["status"]

    def test_status_for_people_and_for_scripts(self):
        code, out, err = self.ctl("status")
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"^Working \d+s of 1h · next: .+ in 1h\n"
                              r"Presence: not watched \(no idle source: no graphical session: DISPLAY and "
                              r"WAYLAND_DISPLAY are unset\); all time in working hours counts as work\n$")
        status = self.status()
        self.assertEqual(status["state"], "working")
        self.assertEqual(status["interval"], 3600)
        self.assertEqual(status["idle_source"], "none")
        self.assertEqual(status["presence"], "active")
        self.assertIs(status["inhibited"], False)
        self.assertEqual(status["snoozes_left"], 2)
        self.assertTrue(status["next_stretch"])

    def test_every_json_answer_has_its_documented_shape(self):
        def run(shape, *args, code=0):
            result, out, err = self.ctl(*args, "--json")
            self.assertEqual(result, code, err)
            lines = out.splitlines()
            self.assertEqual(len(lines), 1, out)
            check_shape(json.loads(lines[0]), shape, " ".join(args))

        with_status = answer(status=STATUS)
        run(with_status, "status")
        run(with_status, "break")
        run(with_status, "snooze", "5m")
        run(with_status, "done")  # the snoozed break
        run(with_status, "pause", "1h")
        run(with_status, "resume")
        run(ERROR, "skip", code=1)  # nothing waits
        run(answer(warnings=[str], status=STATUS), "reload")
        run(answer(stretches=[STRETCH]), "stretches", "list")
        run(answer(stretch=STRETCH), "stretches", "show", "cross-arm")
        run(ERROR, "stretches", "show", "cross-armm", code=1)
        run(answer(stats=STATS), "stats", "--month")
        run(answer(messages=[str]), "config", "check", self.daemon.config)
        self.daemon.stop()
        run(ERROR, "status", code=3)

    def test_docs_json_md_names_every_command(self):
        """The commands come from posturectl's table of verbs; docs/json.md must keep up with it."""
        _, out, _ = self.ctl("--help")
        commands = [line.split()[0] for line in out.split("Subcommands:")[1].splitlines() if line.strip()]
        self.assertIn("stats", commands)
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "json.md")) as f:
            table = f.read().split("## By command")[1].split("\n## ")[0]
        for command in commands:
            self.assertRegex(table, rf"`{command}\b", f"docs/json.md does not say what {command} answers")

    def test_an_answer_the_cli_cannot_read_is_an_error_not_a_crash(self):
        """A daemon of another version, or a broken one: a reply without the fields posturectl reads."""
        self.daemon.stop()
        path = self.daemon.socket
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(path):
            os.unlink(path)
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen()
        self.addCleanup(server.close)

        def answer_every_request():
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                with connection:
                    connection.recv(4096)
                    connection.sendall(b'{"v": 1, "ok": true}\n')

        threading.Thread(target=answer_every_request, daemon=True).start()
        for args in (["break"], ["stats"], ["stretches", "list"], ["--json", "stretches", "show", "x"]):
            code, _, err = self.ctl(*args)
            self.assertEqual(code, 1, args)
            self.assertRegex(err, r"^posturectl: postured sent an answer this posturectl cannot read: ", args)

    def test_break_done_and_skip(self):
        code, out, _ = self.ctl("break")
        self.assertEqual(code, 0)
        stretch = self.status()["next_stretch"]
        self.assertEqual(out, f"Break: {stretch}\n")
        self.assertEqual(self.status()["state"], "due")
        wait_until(lambda: f"Time to stretch: {stretch}" in self.daemon.stdout(), "the break on the console")
        code, _, err = self.ctl("break")
        self.assertEqual((code, err), (1, "posturectl: a break is already waiting for an answer\n"))
        code, out, _ = self.ctl("done")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("Done. Working 0s of 1h"), out)
        self.assertEqual(self.status()["worked"], 0)
        self.assertIn(f"break done:", self.daemon.stderr())

        self.assertEqual(self.ctl("break")[0], 0)
        code, out, _ = self.ctl("skip")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("Skipped. "), out)
        code, _, err = self.ctl("skip")
        self.assertEqual((code, err), (1, "posturectl: no break is waiting for an answer\n"))
        code, out, err = self.ctl("--json", "done")
        self.assertEqual(code, 1)
        self.assertEqual(json.loads(out)["error"], {"code": "refused", "message": "no break is waiting for an answer"})

    def test_break_with_a_chosen_stretch(self):
        code, out, _ = self.ctl("break", "--stretch", "doorway-chest")
        self.assertEqual((code, out), (0, "Break: Doorway chest stretch\n"))
        self.ctl("done")
        code, _, err = self.ctl("break", "--stretch", "no-such")
        self.assertEqual((code, err), (1, 'posturectl: no stretch has the id "no-such"\n'))

    def test_snoozed_break_comes_back(self):
        self.ctl("break")
        code, out, _ = self.ctl("snooze", "2s")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^Snoozed · next: .+ in 2s\n$")
        status = self.status()
        self.assertEqual((status["state"], status["snoozes_left"]), ("snoozed", 1))
        wait_until(lambda: self.status()["state"] == "due", "the snoozed break to return")
        self.assertEqual(self.daemon.stdout().count("Time to stretch:"), 2)
        self.ctl("snooze", "1h")
        code, _, err = self.ctl("snooze")
        self.assertEqual((code, err), (1, "posturectl: this break was snoozed 2 times, the limit; take it or skip it\n"))

    def test_a_snooze_puts_the_next_break_off_within_bounds_and_a_snoozed_break_can_be_skipped(self):
        code, _, err = self.ctl("snooze", "100h")
        self.assertEqual((code, err), (1, "posturectl: a snooze is at most 1h, one break interval; to stop breaks "
                                          "for longer, pause them (posturectl pause 100h)\n"))
        code, out, _ = self.ctl("snooze", "15m")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^Snoozed · next: .+ in 1h1[45]m\n$")  # an hour of work, and 15m
        code, out, _ = self.ctl("skip")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^Skipped. Working 0s of 1h · next: .+ in 1h\n$")

    def test_pause_and_resume(self):
        asked = time.time()
        before = time.strftime("%H:%M", time.localtime(asked + 7200))
        code, out, _ = self.ctl("pause", "2h")
        after = time.strftime("%H:%M", time.localtime(time.time() + 7200))
        self.assertEqual(code, 0)
        self.assertRegex(out, rf"^Paused for 2h, until ({before}|{after})( tomorrow)?\n$")
        status = self.status()
        # however late a loaded machine reads it, the pause ended 2h after it was asked for, and not later
        waited = math.ceil(time.time() - asked)
        self.assertEqual(status["state"], "paused")
        self.assertTrue(7200 - waited <= status["state_ends_in"] <= 7200, (status["state_ends_in"], waited))
        code, out, _ = self.ctl("resume")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("Resumed. Working"), out)
        code, _, err = self.ctl("resume")
        self.assertEqual((code, err), (1, "posturectl: breaks are not paused\n"))
        code, out, _ = self.ctl("pause", "--until", "00:00")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^Paused for .+, until 00:00 tomorrow\n$")  # midnight is always tomorrow
        ends_in = self.status()["state_ends_in"]
        self.assertTrue(0 < ends_in <= 24 * 3600, ends_in)
        code, out, _ = self.ctl("pause")
        self.assertEqual((code, out), (0, "Paused until resumed\n"))
        self.assertIsNone(self.status()["state_ends_in"])

    def test_status_answers_for_the_moment_it_is_asked(self):
        # A pause that ends while the daemon is frozen (as in a suspend), and a question that was
        # waiting for it since before: the answer is for the moment it is given.
        for _ in range(3):
            self.assertEqual(self.ctl("pause", "2s")[0], 0)
            client = socket.socket(socket.AF_UNIX)
            client.settimeout(20)
            client.connect(self.daemon.socket)
            time.sleep(0.2)  # accepted, and read from
            os.kill(self.daemon.process.pid, signal.SIGSTOP)
            client.sendall(b'{"v": 1, "cmd": "status"}\n')
            time.sleep(2.5)
            os.kill(self.daemon.process.pid, signal.SIGCONT)
            reply = json.loads(client.makefile().readline())
            client.close()
            self.assertEqual(reply["status"]["state"], "working", reply)

    def test_usage_errors(self):
        for args, message in [
            (["snooze", "5"], '"5" is not a duration'),
            (["pause", "--until", "25:00"], '"25:00" is not a time'),
            (["pause", "1h", "--until", "10:00"], "excludes"),
            (["frobnicate"], 'posturectl: no command "frobnicate"; see posturectl --help'),
            (["--json"], "A subcommand is required"),
            (["stretches", "show"], "stretches show needs a stretch id"),
        ]:
            code, _, err = self.ctl(*args)
            self.assertEqual(code, 2, args)
            self.assertIn(message, err, args)
        code, out, _ = self.ctl("pause", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--until", out)
        self.assertIn("--json", out)
        code, out, _ = self.ctl()  # bare: the usage
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("posturectl: control postured"), out)
        self.assertIn("Usage: posturectl [OPTIONS] SUBCOMMAND", out)
        code, out, _ = self.ctl("--version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^posturectl \d+\.\d+\.\d+(\+git\d+\.g[0-9a-f]+)?\n$")

    def test_reload_good_and_bad(self):
        with open(self.daemon.config, "w") as f:
            f.write(CONFIG.replace('interval = "1h"', 'interval = "30m"').replace("limit = 2", "limitt = 2"))
        code, out, err = self.ctl("reload")
        self.assertEqual(code, 0, err)
        self.assertIn('warning: snooze.limitt: unknown key; did you mean "limit"?', out)
        self.assertTrue(out.endswith("Configuration reloaded\n"))
        self.assertEqual(self.status()["interval"], 1800)

        with open(self.daemon.config, "w") as f:
            f.write('[schedule]\ninterval = "often"\n')
        code, out, err = self.ctl("reload")
        self.assertEqual(code, 1)
        self.assertIn("the configuration has errors; the running one stays in force", err)
        self.assertIn(f'{self.daemon.config}:2:12: schedule.interval: "often" is not a duration', err)
        self.assertEqual(self.status()["interval"], 1800)
        code, out, _ = self.ctl("--json", "reload")
        self.assertEqual(json.loads(out)["error"]["code"], "config_invalid")

    def test_stretches(self):
        code, out, _ = self.ctl("stretches")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"(?m)^  seated-twist +Seated twist +seated +thoracic-spine$")
        self.assertRegex(out, r"(?m)^- wall-angel +Wall angel +floor")
        code, out, _ = self.ctl("--json", "stretches", "list")
        stretches = json.loads(out)["stretches"]
        self.assertEqual(len(stretches), 18)
        self.assertEqual(sum(s["offered"] for s in stretches), 9)
        code, out, _ = self.ctl("stretches", "show", "cross-arm")
        self.assertEqual(code, 0)
        self.assertIn("Cross-arm stretch (seated, offered)\n  Hold 20s · 2 times · each side\n"
                      "  Stretch only as far as is comfortable.\n  1. Bring your right arm", out)
        pictures = os.path.join(os.path.dirname(os.path.abspath(harness.BUILD)), "share", "postured", "stretches")
        self.assertTrue(out.endswith("  From: 11 Stretches For Mid-Back Pain (Bustle)\n"
                                     f"  Picture: {pictures}/cross-arm.png\n"), out)
        code, out, _ = self.ctl("stretches", "show", "cross-arm", "--json")
        self.assertEqual(json.loads(out)["stretch"]["steps"][2], "Hold, then change arms.")
        code, _, err = self.ctl("stretches", "show", "nope")
        self.assertEqual((code, err), (1, 'posturectl: no stretch has the id "nope"\n'))
        code, _, err = self.ctl("stretches", "show", "seated-twst")
        self.assertEqual((code, err), (1, 'posturectl: no stretch has the id "seated-twst"; did you mean '
                                          '"seated-twist"?\n'))

    def test_config_check_runs_offline(self):
        self.daemon.stop()
        code, out, _ = self.ctl("config", "check", self.daemon.config)
        self.assertEqual((code, out), (0, f"{self.daemon.config}: ok (9 stretches on offer)\n"))
        bad = os.path.join(self.work, "bad.toml")
        with open(bad, "w") as f:
            f.write('[notify]\nurgency = "loud"\n')
        code, out, _ = self.ctl("config", "check", bad)
        self.assertEqual(code, 1)
        self.assertEqual(out, f'{bad}:2:11: notify.urgency: "loud" is not allowed; allowed: low | normal | critical\n')
        code, out, _ = self.ctl("--json", "config", "check", bad)
        self.assertEqual(code, 1)
        self.assertEqual(json.loads(out)["ok"], False)

    def test_a_config_path_that_is_not_a_file_is_refused(self):
        with open(self.daemon.config, "w") as f:
            f.write(CONFIG.replace('interval = "1h"', 'interval = "30m"'))
        self.assertEqual(self.ctl("reload")[0], 0)
        big = os.path.join(self.work, "big.toml")
        with open(big, "w") as f:
            f.write("#" * (1 << 20) + "\n")
        for kind, make in [("a directory", os.mkdir), ("a FIFO", os.mkfifo),
                           ("a character device", lambda path: os.symlink("/dev/zero", path)),
                           ("larger than 1 MiB", lambda path: os.symlink(big, path))]:
            with self.subTest(kind):
                os.remove(self.daemon.config)
                make(self.daemon.config)
                try:
                    code, _, err = self.ctl("reload")
                    self.assertEqual(code, 1)
                    self.assertIn(f"{self.daemon.config}: cannot read: it is {kind}", err)
                    self.assertEqual(self.status()["interval"], 1800)  # the running config stays
                    code, out, _ = self.ctl("config", "check", self.daemon.config)
                    self.assertEqual(code, 1)
                    self.assertIn(f"{self.daemon.config}: cannot read: it is {kind}", out)
                finally:
                    (os.rmdir if kind == "a directory" else os.remove)(self.daemon.config)
                    with open(self.daemon.config, "w"):
                        pass
        os.remove(self.daemon.config)  # deleted
        code, _, err = self.ctl("reload")
        self.assertEqual(code, 1)
        self.assertIn(f"{self.daemon.config}: cannot read: No such file or directory", err)
        with open(self.daemon.config, "wb") as f:  # garbage
            f.write(random.Random(13).randbytes(4096).replace(b"\n", b"") + b"\n")
        code, _, err = self.ctl("reload")
        self.assertEqual(code, 1)
        self.assertRegex(err, rf"{re.escape(self.daemon.config)}:1:\d+: ")
        self.assertEqual(self.status()["interval"], 1800)
        self.assertIsNone(self.daemon.process.poll())

    def test_follow_sees_changes_as_they_happen(self):
        follower = subprocess.Popen([POSTURECTL, "status", "--follow", "--json"], stdout=subprocess.PIPE,
                                    text=True, env=self.daemon.env)
        try:
            first = json.loads(read_line(follower))
            self.assertEqual(first["class"], "working")
            self.assertEqual(set(first), {"text", "tooltip", "class", "percentage"})
            self.ctl("break")
            self.assertEqual(json.loads(read_line(follower))["class"], "due")
            self.ctl("snooze", "20m")
            line = json.loads(read_line(follower))
            self.assertEqual((line["class"], line["text"]), ("snoozed", "20m"))
            self.assertRegex(line["tooltip"], r"^Snoozed · next: .+ in 20m\n")
        finally:
            follower.kill()
            follower.wait()
            follower.stdout.close()
        text = subprocess.Popen([POSTURECTL, "status", "-f"], stdout=subprocess.PIPE, text=True, env=self.daemon.env)
        try:
            self.assertRegex(read_line(text), r"^Snoozed · next: .+ in 20m")
            self.ctl("pause")
            self.assertEqual(read_line(text), "Paused until resumed\n")
        finally:
            text.kill()
            text.wait()
            text.stdout.close()

    def test_the_feed_outlives_the_daemon_and_ends_with_its_reader(self):
        follower = subprocess.Popen([POSTURECTL, "status", "--follow", "--json"], stdout=subprocess.PIPE, text=True,
                                    env=self.daemon.env)
        self.addCleanup(follower.wait)
        self.addCleanup(follower.kill)
        self.assertEqual(json.loads(read_line(follower))["class"], "working")
        self.daemon.stop()
        self.assertEqual(json.loads(read_line(follower)),
                         {"text": "not running", "tooltip": "postured is not running", "class": "not-running",
                          "percentage": 0})
        self.daemon = Daemon(self.work)  # the daemon back: the feed takes it up again
        self.assertEqual(json.loads(read_line(follower))["class"], "working")
        self.assertIsNone(follower.poll())
        follower.stdout.close()  # the bar quit
        self.assertEqual(follower.wait(5), 0)
        # A feed started before the daemon waits for it, as a bar started at login does.
        self.daemon.stop()
        text = subprocess.Popen([POSTURECTL, "status", "--follow"], stdout=subprocess.PIPE, text=True,
                                env=self.daemon.env)
        self.addCleanup(text.stdout.close)
        self.addCleanup(text.wait)
        self.addCleanup(text.kill)
        self.assertEqual(read_line(text), "postured is not running\n")
        self.daemon = Daemon(self.work)
        self.assertTrue(read_line(text).startswith("Working"))

    def test_a_feed_whose_reader_is_gone_before_it_writes_ends_cleanly(self):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the bar quit before the first line, which is written at once with no daemon
        try:
            follower = subprocess.run([POSTURECTL, "status", "--follow"], stdout=write_end, stderr=subprocess.PIPE,
                                      env=dict(self.daemon.env, XDG_RUNTIME_DIR=os.path.join(self.work, "elsewhere")),
                                      timeout=20)
        finally:
            os.close(write_end)
        self.assertEqual(follower.returncode, 0, follower.stderr)

    def test_pause_toggle_for_a_bar_click(self):
        code, out, _ = self.ctl("pause", "--toggle")
        self.assertEqual((code, out), (0, "Paused until resumed\n"))
        code, out, _ = self.ctl("pause", "--toggle")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("Resumed. Working"), out)
        code, _, err = self.ctl("pause", "--toggle", "1h")
        self.assertEqual(code, 2)
        self.assertIn("excludes", err)

    def test_daemon_not_running(self):
        env = dict(self.daemon.env, XDG_RUNTIME_DIR=os.path.join(self.work, "elsewhere"))
        code, _, err = self.ctl("status", env=env)
        self.assertEqual(code, 3)
        self.assertIn("postured is not running", err)
        self.assertIn("systemctl --user start postured", err)

    def test_socket_and_directory_are_private(self):
        directory = os.path.dirname(self.daemon.socket)
        self.assertEqual(os.stat(directory).st_mode & 0o777, 0o700)
        self.assertEqual(os.stat(self.daemon.socket).st_mode & 0o777, 0o600)

    @harness.needs_root
    def test_another_user_is_refused(self):
        if os.geteuid() != 0:
            self.fail("this test switches users, so it must run as root (CI does)")
        # A client of another uid cannot reach the socket...
        code, _, err = self.ctl("status", user="nobody")
        self.assertEqual(code, 3)
        self.assertIn("Permission denied", err)
        # ...and one that can (root) is refused by the daemon, which checks the peer's uid.
        other = os.path.join(self.work, "other")
        os.makedirs(other)
        nobody = pwd.getpwnam("nobody")
        os.chown(other, nobody.pw_uid, nobody.pw_gid)
        daemon = Daemon(other, user="nobody")
        try:
            self.assertIsNone(daemon.process.poll(), daemon.stderr())
            code, out, err = self.ctl("--json", "status", env=daemon.env)
            self.assertEqual(code, 1)
            self.assertEqual(json.loads(out)["error"]["code"], "permission_denied")
            wait_until(lambda: "refused a control connection from uid 0" in daemon.stderr(), "the refusal logged")
        finally:
            daemon.stop()

    def raw(self, payload=b"", read=True):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(10)
        s.connect(self.daemon.socket)
        if payload:
            try:
                s.sendall(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass
        return s

    def read_reply(self, s):
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return json.loads(data) if data else None

    def test_bad_input_gets_an_error_never_a_crash(self):
        baseline = self.daemon.settled_fds()
        s = self.raw(b"garbage\n")
        self.assertEqual(self.read_reply(s)["error"]["code"], "bad_request")
        for request, code in [(b'{"v":1}', "bad_request"), (b'{"v":2,"cmd":"status"}', "unsupported_version"),
                              (b'{"v":1,"cmd":"rm -rf"}', "unknown_command"), (b"[1,2]", "bad_request"),
                              (b'{"v":1,"cmd":"snooze","duration":"-1m"}', "bad_request"),
                              (b'{"v":1,"cmd":"skip","extra":true}', "bad_request"), (b"\xff\xfe\n", "bad_request")]:
            s.sendall(request.rstrip(b"\n") + b"\n")
            self.assertEqual(self.read_reply(s)["error"]["code"], code, request)
        s.sendall(b'{"v":1,"cmd":"status"}\n')
        self.assertTrue(self.read_reply(s)["ok"])  # the same connection still works
        s.close()

        big = self.raw()
        sender = threading.Thread(target=lambda: self._send_quietly(big, b"x" * (1 << 20)))
        sender.start()
        reply = self.read_reply(big)
        sender.join()
        self.assertEqual(reply["error"]["code"], "too_long")
        try:
            self.assertEqual(big.recv(1), b"")  # and closed
        except ConnectionResetError:
            pass  # closed while the rest of the line was still coming
        big.close()

        half = self.raw(b'{"v":1,"cmd":"sta')
        half.settimeout(15)
        self.assertEqual(half.recv(1), b"")  # dropped after the idle timeout
        half.close()

        self.assertEqual(self.ctl("status")[0], 0)
        wait_until(lambda: self.daemon.open_fds() == baseline, f"open fds back to {baseline}")

    @staticmethod
    def _send_quietly(s, data):
        try:
            s.sendall(data)
        except OSError:
            pass

    def test_two_hundred_connections(self):
        baseline = self.daemon.settled_fds()
        idle = [self.raw() for _ in range(200)]  # connected, saying nothing
        code, out, err = self.ctl("status")
        self.assertEqual(code, 0, err)  # a real client still gets through
        for s in idle:
            s.close()

        answered = []

        def ask():
            try:
                s = self.raw(b'{"v":1,"cmd":"status"}\n')
                reply = self.read_reply(s)
                s.close()
                if reply and reply["ok"]:
                    answered.append(1)
            except OSError:
                pass

        threads = [threading.Thread(target=ask) for _ in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertGreaterEqual(len(answered), 64)
        self.assertIsNone(self.daemon.process.poll())
        self.assertEqual(self.ctl("status")[0], 0)
        wait_until(lambda: self.daemon.open_fds() == baseline, f"open fds back to {baseline}")

    def test_a_file_name_that_is_not_utf8_is_shown_not_fatal(self):
        self.daemon.stop()
        latin1 = os.path.join(self.work, os.fsdecode(b"caf\xe9"))  # a home directory named in Latin-1
        os.mkdir(latin1)
        self.daemon = Daemon(latin1, CONFIG + "bogus = 1\n")
        code, out, err = self.ctl("reload")
        self.assertEqual(code, 0, err)
        self.assertIn("caf\ufffd/config.toml:7:1: warning: snooze.bogus: unknown key", out)
        code, out, _ = self.ctl("--json", "reload")
        self.assertTrue(json.loads(out)["ok"])
        self.assertIsNone(self.daemon.process.poll(), self.daemon.stderr())
        code, out, _ = self.ctl("--json", "config", "check", self.daemon.config)
        self.assertEqual(code, 0)
        self.assertIn("caf\ufffd", json.loads(out)["messages"][0])

    def test_a_client_that_sends_faster_than_it_reads_gets_every_answer(self):
        count = 2000
        s = self.raw(b'{"v":1,"cmd":"status"}\n' * count)
        time.sleep(1)  # the answers pile up
        answers = s.makefile("rb")
        for i in range(count):
            line = answers.readline()
            self.assertTrue(line, f"cut off after {i} answers")
            self.assertTrue(json.loads(line)["ok"])
        s.close()

    def test_followers_never_lock_commands_out(self):
        follow = b'{"v":1,"cmd":"status","follow":true}\n'
        followers = [self.raw(follow) for _ in range(64)]
        for s in followers:
            self.assertTrue(self.read_reply(s)["ok"])
        one_too_many = self.raw(follow)
        self.assertEqual(self.read_reply(one_too_many)["error"]["code"], "busy")
        silent = [self.raw() for _ in range(64)]  # and as many clients that say nothing
        code, out, err = self.ctl("status")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.ctl("pause")[0], 0)
        for s in followers:  # each still follows
            self.assertEqual(self.read_reply(s)["status"]["state"], "paused")
        for s in followers + silent + [one_too_many]:
            s.close()

    def test_an_over_long_socket_path_is_named_and_leaves_nothing(self):
        self.daemon.stop()
        runtime = os.path.join(self.work, "r" * (120 - len(self.work)))
        os.mkdir(runtime, 0o700)
        result = subprocess.run([POSTURED, "--config", self.daemon.config], capture_output=True, text=True,
                                env=dict(self.daemon.env, XDG_RUNTIME_DIR=runtime), timeout=10)
        self.assertEqual(result.returncode, 1)
        path = f"{runtime}/postured/control.sock"
        self.assertIn(f"the control socket's path {path} is {len(path)} bytes long, and a "
                      "socket's path is at most 107: set XDG_RUNTIME_DIR to a shorter directory", result.stderr)
        self.assertEqual(os.listdir(runtime), [])

    def test_the_socket_answers_only_once_the_daemon_is_ready(self):
        self.daemon.stop()
        # The state store opens after the lock is taken; hold it up with a lock on the database.
        held = sqlite3.connect(self.daemon.database)
        held.execute("PRAGMA locking_mode = EXCLUSIVE")
        held.execute("BEGIN EXCLUSIVE")
        daemon = subprocess.Popen([POSTURED, "--config", self.daemon.config], env=self.daemon.env,
                                  stderr=subprocess.PIPE, text=True)
        try:
            wait_until(lambda: os.path.exists(os.path.join(self.daemon.runtime, "postured", "control.lock")),
                       "the instance lock")
            time.sleep(0.5)
            self.assertFalse(self.daemon.listening(), "the socket answers while the daemon is not ready")
            held.rollback()
            held.close()
            wait_until(self.daemon.listening, "the socket once the state is open")
            daemon.terminate()  # at once, as a script might
            self.assertEqual(daemon.wait(10), 0)
            self.assertNotIn("state database", daemon.stderr.read())
        finally:
            daemon.kill()
            daemon.wait()
            daemon.stderr.close()

    def test_thousands_of_requests_leave_memory_and_descriptors_flat(self):
        requests = [b'{"v":1,"cmd":"status"}\n', b'{"v":1,"cmd":"stretches"}\n', b'{"v":1,"cmd":"break"}\n',
                    b'{"v":1,"cmd":"snooze","duration":"1m"}\n', b'{"v":1,"cmd":"skip"}\n', b'garbage\n',
                    b'{"v":1,"cmd":"stats","days":7}\n', b'{"v":1,"cmd":"pause"}\n', b'{"v":1,"cmd":"resume"}\n']
        # Under AddressSanitizer freed memory sits in a quarantine, so RSS says nothing of a leak:
        # there LeakSanitizer does, at the daemon's exit, and any report fails the suite.
        with open(f"/proc/{self.daemon.process.pid}/maps") as f:
            sanitized = "libasan" in f.read()

        def rss_kib():
            with open(f"/proc/{self.daemon.process.pid}/status") as f:
                return int(next(line for line in f if line.startswith("VmRSS:")).split()[1])

        def ask(count):
            for i in range(count):  # a connection each, as posturectl makes
                s = self.raw(requests[i % len(requests)])
                self.assertIsNotNone(self.read_reply(s))
                s.close()

        # The first five thousand fill what is meant to fill (SQLite's page cache, the history read
        # by stats); the next ten thousand must leave memory as it was. Sanitized, where only the
        # descriptors are counted here, a thousand a round show a leak of one as well.
        fds = self.daemon.settled_fds()
        rss = []
        for _ in range(3):
            ask(1000 if sanitized else 5000)
            for _ in range(50):
                self.assertEqual(self.ctl("status")[0], 0)
            self.assertEqual(self.daemon.settled_fds(), fds)
            rss.append(rss_kib())
        print(f"RSS after each round: {rss} KiB, fds {fds}, sanitized: {sanitized}", file=sys.stderr)
        if not sanitized:
            # 128 KiB is 26 bytes a request: any object leaked per request shows.
            self.assertLess(rss[2] - rss[1], 128, f"RSS grew by {rss[2] - rss[1]} KiB over the last 5000")

    def test_second_daemon_is_refused_and_a_stale_socket_recovered(self):
        second = subprocess.run([POSTURED, "--config", self.daemon.config], capture_output=True, text=True,
                                env=self.daemon.env, timeout=10)
        self.assertEqual(second.returncode, 1)
        self.assertIn(f"postured is already running for this user (pid {self.daemon.process.pid})", second.stderr)
        self.assertEqual(self.ctl("status")[0], 0)

        self.daemon.process.send_signal(signal.SIGKILL)
        self.daemon.process.wait()
        self.assertTrue(os.path.exists(self.daemon.socket))  # left behind
        self.assertEqual(self.ctl("status")[0], 3)
        self.daemon = Daemon(self.work)
        self.assertIsNone(self.daemon.process.poll(), self.daemon.stderr())
        self.assertEqual(self.ctl("status")[0], 0)


if __name__ == "__main__":
    harness.main()
