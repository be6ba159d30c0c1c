#!/usr/bin/python3
"""The wall clock moved three hours either way and a day back, as the real daemon sees it through
libfaketime: only its clock is moved (the boot clock its deadlines run on is not), so this runs
beside the other tests, without root. The daemon reads the moved clock at its next look (a
request here); wall_clock_test covers the machine's clock being set, which wakes it at once."""
import json
import os
import shutil
import sys
import tempfile
import unittest

import harness
from harness import Daemon

harness.BUILD = sys.argv.pop(1)

LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

CONFIG = """
[schedule]
interval = "1h"
working_hours = "09:00-18:00"
working_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""


class FakedClockTest(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(LIBFAKETIME):
            raise AssertionError(f"{LIBFAKETIME} is missing: apt-get install libfaketime")
        self.work = tempfile.mkdtemp(prefix="postured-faked-clock-")
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        self.clock = os.path.join(self.work, "clock")
        self.daemon = None

    def set_clock(self, when):
        """`when` as "2026-12-02 10:00:00": the daemon's clock reads it, and runs on from there."""
        with open(self.clock + ".new", "w") as f:
            f.write(f"@{when}\n")
        os.replace(self.clock + ".new", self.clock)

    def start(self):
        self.daemon = Daemon(self.work, CONFIG, env={
            "LD_PRELOAD": LIBFAKETIME, "FAKETIME_TIMESTAMP_FILE": self.clock, "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            # A sanitized daemon: ASan need not come first, as libfaketime replaces no allocator.
            "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"})
        self.addCleanup(self.daemon.stop)
        self.assertTrue(self.daemon.listening(), self.daemon.stderr())
        return self.daemon

    def ctl(self, *args):
        code, out, err = self.daemon.ctl("--json", *args)
        self.assertEqual(code, 0, err)
        return json.loads(out)

    def status(self):
        return self.ctl("status")["status"]

    def breaks_shown(self):
        return self.daemon.stderr().count("postured: break: ")

    def test_three_hours_either_way_and_a_day_back_count_nothing_twice_and_lose_nothing(self):
        self.set_clock("2026-12-02 10:00:00")
        self.start()
        self.ctl("break")
        self.ctl("done")
        self.assertEqual(self.status()["state"], "working")

        self.set_clock("2026-12-02 13:00:00")
        status = self.status()
        self.assertEqual(status["state"], "working")
        self.assertLess(status["worked"], 30, "three hours on the wall clock are not three hours of work")

        self.set_clock("2026-12-02 07:00:00")
        status = self.status()
        self.assertEqual(status["state"], "off-hours")
        self.assertEqual(status["state_ends_at"], "2026-12-02T09:00:00")

        self.set_clock("2026-12-01 10:00:00")
        status = self.status()
        self.assertEqual(status["state"], "working")
        self.assertLess(status["worked"], 30)
        self.assertEqual(self.breaks_shown(), 1, self.daemon.stderr())
        self.ctl("break")
        self.ctl("done")

        stats = self.ctl("stats")["stats"]
        self.assertEqual({day["date"]: day["done"] for day in stats["days"] if day["done"]}, {"2026-12-01": 1},
                         "the stats end today, as the clock has it")
        self.assertEqual([most["done"] for most in stats["most_done"]], [1])
        self.set_clock("2026-12-02 10:30:00")
        stats = self.ctl("stats")["stats"]
        self.assertEqual({day["date"]: day["done"] for day in stats["days"] if day["done"]},
                         {"2026-12-01": 1, "2026-12-02": 1})
        self.assertEqual(sum(most["done"] for most in stats["most_done"]), 2)
        self.assertEqual(self.breaks_shown(), 2)
        self.assertIsNone(self.daemon.process.poll(), self.daemon.stderr())

    def a_restart_after_the_clock_went_back_keeps_only_what_was_left(self, command, state):
        self.set_clock("2026-12-02 13:00:00")
        self.start()
        self.ctl(command, "10m")
        left = self.status()["state_ends_in"]
        for back in ("2026-12-02 10:00:00", "2026-12-01 10:00:00"):  # 3 h, then a day
            self.daemon.stop()
            self.set_clock(back)
            self.start()
            status = self.status()
            self.assertEqual(status["state"], state)
            self.assertLessEqual(status["state_ends_in"], left, back)
            self.assertGreater(status["state_ends_in"], left - 30, back)
            left = status["state_ends_in"]

    def test_a_snooze_saved_before_the_clock_went_back_ends_as_it_would_have(self):
        self.a_restart_after_the_clock_went_back_keeps_only_what_was_left("snooze", "snoozed")

    def test_a_pause_saved_before_the_clock_went_back_ends_as_it_would_have(self):
        self.a_restart_after_the_clock_went_back_keeps_only_what_was_left("pause", "paused")

if __name__ == "__main__":
    harness.main()
