#!/usr/bin/python3
"""The daemon as systemd sees it: the unit passes systemd-analyze verify, and the daemon's
sd_notify messages, read from a notify socket this test binds, come in the right order."""
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import harness
from harness import Daemon, wait_until

harness.BUILD = sys.argv.pop(1)


class NotifySocket:
    """What systemd reads: datagrams on $NOTIFY_SOCKET, with the sender's credentials."""

    def __init__(self, path):
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.socket.bind(path)
        self.socket.settimeout(0.1)
        self.messages = []  # (pid, text)

    def collect(self):
        deadline = time.monotonic() + 1  # a daemon that pings every millisecond never pauses
        while time.monotonic() < deadline:
            try:
                data, ancillary, _, _ = self.socket.recvmsg(4096, socket.CMSG_SPACE(12))
            except socket.timeout:
                return self.messages
            pid = None
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = struct.unpack("iII", payload[:12])[0]
            self.messages.append((pid, data.decode()))
        return self.messages

    def texts(self):
        return [text for _, text in self.collect()]

    def wait_for(self, text, count=1):
        return wait_until(lambda: sum(m.startswith(text) for m in self.texts()) >= count, repr(text))


class SystemdTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="postured-systemd-")
        self.notify = NotifySocket(os.path.join(self.work, "notify"))
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def start(self, **env):
        saved = dict(os.environ)
        os.environ.update(NOTIFY_SOCKET=self.notify.socket.getsockname(), **env)
        try:
            self.daemon = Daemon(self.work)
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def test_the_unit_verifies(self):
        unit = os.path.join(self.work, "postured.service")
        text = harness.unit_for_this_build()
        self.assertIn("Type=notify", text)
        self.assertIn("WantedBy=graphical-session.target", text)
        with open(unit, "w") as f:
            f.write(text)
        runtime = os.path.join(self.work, "runtime")
        os.mkdir(runtime, 0o700)
        result = subprocess.run(["systemd-analyze", "--user", "verify", unit], capture_output=True, text=True,
                                env=dict(os.environ, XDG_RUNTIME_DIR=runtime))
        self.assertEqual((result.returncode, result.stderr), (0, ""), result.stderr)
        # And it would have caught a mistake: systemd-analyze exits 0 even then, but says so.
        with open(unit) as f:
            broken = f.read().replace("Type=notify", "Type=notfy")
        with open(unit, "w") as f:
            f.write(broken)
        result = subprocess.run(["systemd-analyze", "--user", "verify", unit], capture_output=True, text=True,
                                env=dict(os.environ, XDG_RUNTIME_DIR=runtime))
        self.assertIn("Failed to parse service type", result.stderr)

    def test_messages_and_their_order(self):
        self.start(WATCHDOG_USEC="1000000")
        self.notify.wait_for("READY=1")
        self.notify.wait_for("WATCHDOG=1", 3)  # every half second
        self.assertEqual(self.daemon.ctl("snooze", "20m")[0], 0)
        self.notify.wait_for("STATUS=Snoozed · next: ")
        self.daemon.process.send_signal(signal.SIGHUP)
        self.notify.wait_for("READY=1", 2)
        self.assertEqual(self.daemon.ctl("reload")[0], 0)  # what the unit's ExecReload= runs
        self.notify.wait_for("READY=1", 3)
        self.daemon.stop()
        self.notify.wait_for("STOPPING=1")

        messages = self.notify.collect()
        self.assertTrue(all(pid == self.daemon.process.pid for pid, _ in messages))
        texts = [t for t in self.notify.texts() if t != "WATCHDOG=1"]
        self.assertTrue(texts[0].startswith("STATUS=Working 0s of 1h · next: "), texts)
        self.assertEqual(texts[1], "READY=1")
        self.assertRegex(texts[2], r"^STATUS=Snoozed · next: .+ in 1h2\dm$")  # an hour of work, and 20m
        self.assertRegex(texts[3], r"^RELOADING=1\nMONOTONIC_USEC=\d+$")
        self.assertEqual(texts[4], "READY=1")
        self.assertRegex(texts[5], r"^RELOADING=1\nMONOTONIC_USEC=\d+$")
        self.assertEqual(texts[6], "READY=1")
        self.assertEqual(texts[-1], "STOPPING=1")

    def test_a_manager_that_stops_reading_does_not_stop_the_daemon(self):
        # A datagram socket queues one more than this (or what the sender's buffer holds, if less);
        # from the next one on, sd_notify() would wait until the manager reads, and so would a
        # daemon that used it.
        with open("/proc/sys/net/unix/max_dgram_qlen") as f:
            queue = int(f.read())
        self.start(WATCHDOG_USEC="2000")  # a ping every millisecond fills it
        wait_until(lambda: "systemd takes no news now" in self.daemon.stderr(), "a full queue",
                   timeout=10 + queue / 100)
        for _ in range(5):
            for verb in ("break", "skip"):
                code, _, err = self.daemon.ctl(verb)
                self.assertEqual(code, 0, err)
        self.daemon.process.send_signal(signal.SIGHUP)
        wait_until(lambda: "configuration reloaded" in self.daemon.stderr(), "the reload")
        # Read only now: the start's messages were queued, and nothing waited for room.
        self.assertIn("READY=1", self.notify.texts())
        # What found no room comes once there is, in order: the latest status, then the reload.
        self.notify.wait_for("READY=1", 2)
        kinds = [t.split("=")[0] for t in self.notify.texts() if t != "WATCHDOG=1"]
        reload = kinds.index("RELOADING")
        self.assertIn("STATUS", kinds[kinds.index("READY") + 1:reload], kinds)
        self.assertEqual(kinds[reload + 1], "READY", kinds)
        self.daemon.process.terminate()
        self.assertEqual(self.daemon.process.wait(10), 0)
        self.assertEqual(self.daemon.stderr().count("systemd takes no news now"), 1)

    def test_no_watchdog_pings_unless_asked(self):
        self.start()
        self.notify.wait_for("READY=1")
        time.sleep(1.5)
        self.assertNotIn("WATCHDOG=1", self.notify.texts())

    def test_logs_go_to_the_journal_when_stderr_is_the_journal(self):
        # Under systemd, JOURNAL_STREAM names stderr's device and inode; then the console stays quiet.
        err = os.path.join(self.work, "err")
        os.makedirs(os.path.join(self.work, "runtime"), mode=0o700, exist_ok=True)
        with open(err, "w") as f:
            st = os.fstat(f.fileno())
            env = dict(os.environ, XDG_RUNTIME_DIR=os.path.join(self.work, "runtime"),
                       XDG_STATE_HOME=os.path.join(self.work, "state"), JOURNAL_STREAM=f"{st.st_dev}:{st.st_ino}")
            process = subprocess.Popen([os.path.join(harness.BUILD, "postured"), "--config", "/dev/null"],
                                       stderr=f, stdout=subprocess.DEVNULL, env=env)
        time.sleep(0.5)
        process.terminate()
        process.wait(10)
        with open(err) as f:
            self.assertEqual(f.read(), "")


if __name__ == "__main__":
    harness.main()
