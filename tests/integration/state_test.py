#!/usr/bin/python3
"""What the daemon remembers: the real postured killed and started again, its SQLite file read
back with Python's own sqlite3."""
import calendar
import datetime
import errno
import json
import os
import pty
import pwd
import random
import shutil
import signal
import subprocess
import sqlite3
import sys
import tempfile
import threading
import time
import unittest

import harness
from harness import Daemon

harness.BUILD = sys.argv.pop(1)


class StateTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="postured-state-")
        self.database = os.path.join(self.work, "state", "postured", "state.db")
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def start(self):
        self.daemon = Daemon(self.work)
        self.assertTrue(self.daemon.listening(), self.daemon.stderr())
        return self.daemon

    def kill(self):
        self.daemon.process.send_signal(signal.SIGKILL)
        self.daemon.stop()

    def history(self):
        with sqlite3.connect(self.database) as db:
            return db.execute("SELECT outcome, stretch FROM breaks ORDER BY id").fetchall()

    def status(self):
        code, out, err = self.daemon.ctl("--json", "status")
        self.assertEqual(code, 0, err)
        return json.loads(out)["status"]

    def test_a_snooze_and_a_pause_survive_a_crash(self):
        self.start()
        self.assertEqual(self.daemon.ctl("snooze", "20m")[0], 0)
        self.kill()
        self.start()
        status = self.status()
        self.assertEqual(status["state"], "snoozed")
        self.assertTrue(4790 <= status["state_ends_in"] <= 4800, status)  # an hour of work to go, and 20m
        self.assertEqual(status["snoozes_left"], 1)

        self.assertEqual(self.daemon.ctl("pause", "2h")[0], 0)
        self.daemon.stop()  # SIGTERM this time
        self.start()
        status = self.status()
        self.assertEqual(status["state"], "paused")
        self.assertTrue(7190 <= status["state_ends_in"] <= 7200, status)
        self.assertEqual(os.stat(self.database).st_mode & 0o777, 0o600)

    def test_answers_survive_100_kills_at_random_moments(self):
        told = {"done": 0, "skip": 0}
        tried = {"done": 0, "skip": 0}
        rng = random.Random(5)
        # Each life long enough for a few answers, however fast this build answers.
        self.start()
        paced = time.monotonic()
        self.daemon.request("break")
        tried["skip"] += 1
        told["skip"] += self.daemon.request("skip")["ok"]
        life = max(0.25, 6 * (time.monotonic() - paced))
        self.daemon.stop()
        for _ in range(100):
            self.start()
            stop = threading.Event()
            threading.Timer(rng.uniform(0.0, life), stop.set).start()
            killer = threading.Thread(target=lambda: (stop.wait(), self.kill()))
            killer.start()
            while not stop.is_set():
                self.daemon.request("break")
                answer = rng.choice(["done", "skip"])
                tried[answer] += 1
                reply = self.daemon.request(answer)
                told[answer] += reply is not None and reply["ok"]
            killer.join()

        with sqlite3.connect(self.database) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            counts = dict(db.execute("SELECT outcome, count(*) FROM breaks GROUP BY outcome").fetchall())
        self.assertGreater(told["done"] + told["skip"], 100)
        # Every answer the daemon acknowledged is on disk; one killed after its commit but
        # before its reply may be there too.
        self.assertTrue(told["done"] <= counts.get("done", 0) <= tried["done"], (told, tried, counts))
        self.assertTrue(told["skip"] <= counts.get("skipped", 0) <= tried["skip"], (told, tried, counts))

    def saved_state(self):
        with sqlite3.connect(self.database) as db:
            return json.loads(db.execute("SELECT value FROM state WHERE key = 'scheduler'").fetchone()[0])

    def test_a_start_writes_nothing_when_nothing_changed(self):
        self.start()
        self.daemon.stop()
        stopped = self.saved_state()
        time.sleep(1.1)  # a write would change saved_at
        self.start()
        self.assertIn("a break after every", self.daemon.stderr())
        self.kill()
        self.assertEqual(self.saved_state(), stopped)
        self.start()
        self.assertEqual(self.daemon.ctl("pause")[0], 0)
        self.kill()
        self.assertTrue(self.saved_state()["paused"])

    def test_a_corrupted_database_is_moved_aside(self):
        os.makedirs(os.path.dirname(self.database))
        with open(self.database, "wb") as f:
            f.write(b"this is not a database" * 500)
        self.start()
        harness.wait_until(lambda: "is corrupt (file is not a database)" in self.daemon.stderr(), "the warning")
        aside = [n for n in os.listdir(os.path.dirname(self.database)) if n.startswith("state.db.broken-")]
        self.assertEqual(len(aside), 1)
        self.assertEqual(self.daemon.ctl("break", "--stretch", "cross-arm")[0], 0)
        self.assertEqual(self.daemon.ctl("done")[0], 0)
        self.assertEqual(self.history(), [("done", "cross-arm")])

    def test_stats_over_a_seeded_history(self):
        self.start()
        self.daemon.stop()
        today = datetime.date.today()

        def at(days_ago, hour):
            day = today - datetime.timedelta(days=days_ago)
            return calendar.timegm((day.year, day.month, day.day, hour, 0, 0))  # local time, as stored

        rows = [(at(0, 9), "seated-twist", "done"), (at(0, 10), "cross-arm", "done"),
                (at(0, 11), "seated-twist", "done"), (at(0, 12), "", "natural"),
                (at(0, 13), "cows-head", "skipped"), (at(0, 14), "cows-head", "snoozed"),
                (at(1, 9), "seated-twist", "done"), (at(1, 10), "elbow-link", "missed"),
                (at(3, 9), "cross-arm", "done"), (at(3, 10), "cross-arm", "done"),
                (at(10, 9), "w-to-y", "done")]
        with sqlite3.connect(self.database) as db:
            db.executemany("INSERT INTO breaks (at, stretch, outcome, response) VALUES (?, ?, ?, 5)", rows)
        self.start()

        code, out, err = self.daemon.ctl("stats", "--week")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 9)
        self.assertRegex(lines[6], r"^\w{3} [ \d]\d \w{3}   75%  3 done · 1 skipped · 0 missed · 1 natural$")
        self.assertRegex(lines[5], r"  50%  1 done · 0 skipped · 1 missed · 0 natural$")
        self.assertRegex(lines[4], r"  no breaks$")
        self.assertNotIn("█", out)  # piped: plain text
        self.assertEqual(lines[7], "Adherence 75% · streak 0 days (a day counts when 80% of its breaks are done)")
        self.assertEqual(lines[8], "Most done: Cross-arm stretch (3), Seated twist (3)")

        code, out, _ = self.daemon.ctl("--json", "stats", "--days", "14")
        stats = json.loads(out)["stats"]
        self.assertEqual(len(stats["days"]), 14)
        self.assertEqual(stats["days"][-1], {"date": today.isoformat(), "done": 3, "skipped": 1, "missed": 0,
                                             "dismissed": 0, "snoozed": 1, "natural": 1, "adherence": 75,
                                             "met_goal": False})
        self.assertEqual(stats["days"][-11]["done"], 1)
        self.assertEqual(stats["streak"], 0)  # today falls short so far, and yesterday did (1 of 2)
        self.assertEqual(stats["adherence"], 77)

        # On a terminal, a bar of Unicode blocks.
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(os.path.join(harness.BUILD, "posturectl"), ["posturectl", "stats"], self.daemon.env)
        output = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        os.waitpid(pid, 0)
        text = output.decode()
        self.assertRegex(text, r"████████░░   75%")  # 7.5 of 10 cells, rounded

    def answer_a_break(self):
        self.assertEqual(self.daemon.ctl("break", "--stretch", "cross-arm")[0], 0)
        self.assertEqual(self.daemon.ctl("done")[0], 0)

    def fill(self, directory):
        """Fills the file system that holds `directory`; returns the file that fills it."""
        filler = os.path.join(directory, "filler")
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError as e:
                self.assertEqual(e.errno, errno.ENOSPC)
        return filler

    def small_state_disk(self):
        """The state directory on a tmpfs of its own, 512 KiB, which the test can fill."""
        if os.geteuid() != 0:
            self.fail("mounting a small file system needs root (CI runs as root)")
        state = os.path.join(self.work, "state")
        os.makedirs(state)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", state], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", state])
        return state

    @harness.needs_root
    def test_a_full_disk_at_start_keeps_the_history_and_writes_it_once_space_returns(self):
        state = self.small_state_disk()
        self.start()
        self.answer_a_break()
        self.daemon.stop()
        filler = self.fill(state)
        self.start()
        self.answer_a_break()  # answered, and kept in memory
        self.assertEqual(self.daemon.ctl("pause")[0], 0)
        self.assertEqual(self.daemon.ctl("resume")[0], 0)
        log = self.daemon.stderr()
        self.assertEqual(log.count("cannot save the state"), 1, log)  # told once, with its cause
        self.assertIn("cannot save the state (disk I/O error); keeping it in memory until it can be", log)
        self.assertEqual([n for n in os.listdir(os.path.dirname(self.database)) if "broken" in n], [])
        os.remove(filler)
        self.assertEqual(self.daemon.ctl("pause")[0], 0)  # the next save
        self.assertIn("the state is saved again (1 break kept in memory meanwhile)", self.daemon.stderr())
        self.daemon.stop()
        self.assertEqual(self.history(), [("done", "cross-arm")] * 2)
        self.start()
        self.assertEqual(self.status()["state"], "paused")

    @harness.needs_root
    def test_a_disk_that_fills_while_running_loses_nothing(self):
        state = self.small_state_disk()
        self.start()
        filler = self.fill(state)
        for _ in range(3):
            self.answer_a_break()
        log = self.daemon.stderr()
        self.assertEqual(log.count("cannot save the state"), 1, log)
        self.assertNotIn("no transaction is active", log)
        self.assertIn("database or disk is full", log)
        os.remove(filler)
        self.answer_a_break()
        self.assertIn("the state is saved again (3 breaks kept in memory meanwhile)", self.daemon.stderr())
        self.assertEqual(self.history(), [("done", "cross-arm")] * 4)

    def test_saved_values_out_of_range_are_left_out(self):
        self.start()
        self.daemon.stop()
        now = int(time.time())
        planted = {"saved_at": now, "worked": -5, "owed": False, "snoozes": 10**12, "snoozed_until": 10**15,
                   "paused": True, "paused_until": now + 400 * 86400, "upcoming": "", "round": [], "last": ""}
        with sqlite3.connect(self.database) as db:
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('scheduler', ?)", (json.dumps(planted),))
        self.start()
        self.assertIn("the saved state has values out of range, started afresh: worked -5, snoozes "
                      f"1000000000000, snoozed_until {10**15}, paused_until {now + 400 * 86400}", self.daemon.stderr())
        status = self.status()
        self.assertEqual((status["state"], status["worked"], status["snoozes_left"]), ("working", 0, 2))
        self.assertEqual(status["next_break_in"], 3600)

        self.daemon.stop()
        planted.update(worked=1e300)  # not a whole number at all
        with sqlite3.connect(self.database) as db:
            db.execute("UPDATE state SET value = ? WHERE key = 'scheduler'", (json.dumps(planted),))
        self.start()
        self.assertIn("the saved state cannot be read (worked is not a whole number); starting afresh",
                      self.daemon.stderr())
        self.assertEqual(self.status()["next_break_in"], 3600)

    @harness.needs_root
    def test_a_state_directory_of_another_user_is_refused(self):
        if os.geteuid() != 0:
            self.fail("this test plants a directory of another user's, so it must run as root (CI does)")
        self.start()
        self.assertEqual(self.daemon.ctl("pause")[0], 0)
        self.daemon.stop()
        nobody = pwd.getpwnam("nobody")
        planted = os.path.dirname(self.database)
        os.chmod(planted, 0o755)
        for path in [planted] + [os.path.join(planted, n) for n in os.listdir(planted)]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        self.start()
        self.assertIn(f"no state database ({planted} is not a directory of this user's; remove it)",
                      self.daemon.stderr())
        self.assertEqual(self.status()["state"], "working")  # the planted pause is not obeyed
        self.answer_a_break()
        self.daemon.stop()
        self.assertEqual(self.history(), [])  # and nothing is written where that user reads

    def test_stats_usage(self):
        self.start()
        code, _, err = self.daemon.ctl("stats", "--days", "0")
        self.assertEqual(code, 2)
        code, _, err = self.daemon.ctl("stats", "--days", "5", "--month")
        self.assertEqual(code, 2)
        code, _, err = self.daemon.ctl("stats", "--week", "--month")
        self.assertEqual(code, 2)


if __name__ == "__main__":
    harness.main()
