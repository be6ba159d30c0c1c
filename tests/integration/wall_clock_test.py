#!/usr/bin/python3
"""The wall clock set while the daemon runs, and the edges of working hours, as a status bar sees
them: `posturectl status --follow` prints what the daemon tells it, with no question asked.
Sets the machine's clock (root, CAP_SYS_TIME) and puts it back from the monotonic clock; run alone."""
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import harness
from harness import Daemon, read_line

harness.BUILD = sys.argv.pop(1)

CONFIG = """
[schedule]
working_hours = "09:00-18:00"
working_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""


class WallClockTest(unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            raise AssertionError("setting the clock needs root (CI runs as root)")
        self.offset = time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_MONOTONIC)
        self.addCleanup(self.put_the_clock_back)
        self.work = tempfile.TemporaryDirectory(prefix="postured-wall-clock-")
        self.addCleanup(self.work.cleanup)

    def put_the_clock_back(self):
        time.clock_settime(time.CLOCK_REALTIME, time.clock_gettime(time.CLOCK_MONOTONIC) + self.offset)

    def set_clock(self, hh_mm_ss):
        today = time.localtime()
        h, m, s = (int(part) for part in hh_mm_ss.split(":"))
        time.clock_settime(time.CLOCK_REALTIME,
                           time.mktime((today.tm_year, today.tm_mon, today.tm_mday, h, m, s, 0, 0, -1)))

    def start_at_seven(self):
        """The daemon started at 07:00, outside working hours, and a status bar following it."""
        self.set_clock("07:00:00")
        daemon = Daemon(self.work.name, CONFIG)
        self.addCleanup(daemon.stop)
        follower = subprocess.Popen([os.path.join(harness.BUILD, "posturectl"), "status", "--follow"],
                                    stdout=subprocess.PIPE, text=True, env=daemon.env)
        self.addCleanup(follower.wait)
        self.addCleanup(follower.kill)
        self.assertEqual(read_line(follower, 5), "Outside working hours, until 09:00\n")
        return daemon, follower

    def test_a_set_clock_and_the_edges_of_working_hours_are_seen_at_once(self):
        daemon, follower = self.start_at_seven()
        self.assertIn("Outside working hours, until 09:00: the first break can come then; posturectl break shows "
                      "one now", daemon.stderr())

        # "At once" is the daemon's: the wait for a line only bounds how slow this machine may be.
        self.set_clock("10:00:00")  # forward into working hours: counting starts at once
        self.assertTrue(read_line(follower, 10).startswith("Working 0s of 1h"))
        self.set_clock("08:59:50")  # back out of them
        self.assertEqual(read_line(follower, 10), "Outside working hours, until 09:00\n")
        # At 09:00 on the wall clock, not before, and with nothing worked before it.
        self.assertTrue(read_line(follower, 25).startswith("Working 0s of 1h"))
        self.assertGreaterEqual(time.strftime("%H:%M:%S"), "09:00:00")
        self.set_clock("19:00:00")
        self.assertEqual(read_line(follower, 10), "Outside working hours, until 09:00 tomorrow\n")
        self.assertIsNone(daemon.process.poll(), daemon.stderr())

    def test_a_clock_set_as_soon_as_a_change_is_told_is_not_lost(self):
        """A status bar that acts on what it was just told: the daemon tells its followers before it
        arms its timer again, the more of them the longer, and a clock set in between must count."""
        daemon, follower = self.start_at_seven()
        others = []
        for _ in range(300):  # told after the first
            other = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            other.connect(daemon.socket)
            other.sendall(b'{"v":1,"cmd":"status","follow":true}\n')
            others.append(other)
            self.addCleanup(other.close)
        for _ in range(10):
            self.set_clock("10:00:00")
            self.assertTrue(read_line(follower, 10).startswith("Working 0s of 1h"))
            self.set_clock("07:00:00")  # at once: maybe before the daemon armed its timer again
            self.assertEqual(read_line(follower, 10), "Outside working hours, until 09:00\n")
        self.assertIsNone(daemon.process.poll(), daemon.stderr())

if __name__ == "__main__":
    harness.main()
