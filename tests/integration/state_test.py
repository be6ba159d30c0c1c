#!/usr/bin/python3
"""What the daemon remembers: the real postured killed and started again, its SQLite file read
back with Python's own sqlite3."""
import os
import random
import shutil
import signal
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
        import json
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
        self.assertTrue(1190 <= status["state_ends_in"] <= 1200, status)
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
        for _ in range(100):
            self.start()
            stop = threading.Event()
            threading.Timer(rng.uniform(0.0, 0.25), stop.set).start()
            killer = threading.Thread(target=lambda: (stop.wait(), self.kill()))
            killer.start()
            while not stop.is_set():
                self.daemon.ctl("break")
                answer = rng.choice(["done", "skip"])
                tried[answer] += 1
                if self.daemon.ctl(answer)[0] == 0:
                    told[answer] += 1
            killer.join()

        with sqlite3.connect(self.database) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            counts = dict(db.execute("SELECT outcome, count(*) FROM breaks GROUP BY outcome").fetchall())
        self.assertGreater(told["done"] + told["skip"], 100)
        # Every answer posturectl reported done is on disk; one killed after its commit but
        # before its reply may be there too.
        self.assertTrue(told["done"] <= counts.get("done", 0) <= tried["done"], (told, tried, counts))
        self.assertTrue(told["skip"] <= counts.get("skipped", 0) <= tried["skip"], (told, tried, counts))

    def test_a_corrupted_database_is_moved_aside(self):
        os.makedirs(os.path.dirname(self.database))
        with open(self.database, "wb") as f:
            f.write(b"this is not a database" * 500)
        self.start()
        harness.wait_until(lambda: "is unusable" in self.daemon.stderr(), "the warning")
        aside = [n for n in os.listdir(os.path.dirname(self.database)) if n.startswith("state.db.broken-")]
        self.assertEqual(len(aside), 1)
        self.assertEqual(self.daemon.ctl("break", "--stretch", "cross-arm")[0], 0)
        self.assertEqual(self.daemon.ctl("done")[0], 0)
        self.assertEqual(self.history(), [("done", "cross-arm")])


if __name__ == "__main__":
    unittest.main(verbosity=2)
