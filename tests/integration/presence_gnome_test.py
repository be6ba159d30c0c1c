#!/usr/bin/python3
"""Presence on GNOME: the real postured watching a real Mutter run headless (input through its
RemoteDesktop API), real gnome-session idle inhibitors (gnome-session-inhibit), and the real GNOME
Shell's lock screen, on a private session bus; logind is python-dbusmock's, on a stand-in system
bus. Second-scale settings: an idle_after of 1 s, a natural break of 4 s."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import harness
from desktop import (GNOME_SESSION, PRESENCE_CONFIG as CONFIG, PAUSE_CONFIG, SMART_CONFIG, GnomeSession, GnomeShell, Mutter, SessionTest, history,
                     need, status, break_line, check_a_break_waits_for_a_pause)
from harness import Daemon, wait_until

harness.BUILD = sys.argv.pop(1)


class GnomeDesktop(SessionTest):
    @classmethod
    def start_desktop(cls):
        need("mutter", "gnome-shell", "gjs", "gnome-session-inhibit", "/usr/libexec/gnome-session-binary", "dconf")

    def start(self, config=CONFIG):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        self.daemon = Daemon(work, config, env=dict(GNOME_SESSION, DBUS_SESSION_BUS_ADDRESS=self.session_bus.address,
                                                    DBUS_SYSTEM_BUS_ADDRESS=self.system_bus.address))
        wait_until(lambda: status(self.daemon)["idle_source"] == "gnome", "GNOME's idle source")
        wait_until(lambda: "watching input through GNOME's idle monitor" in self.daemon.stderr(), "the idle monitor")
        return self.daemon



class MutterTest(GnomeDesktop):
    @classmethod
    def start_desktop(cls):
        super().start_desktop()
        cls.mutter = Mutter(cls.processes, cls.session_bus, cls.runtime)
        cls.gnome_session = GnomeSession(cls.processes, cls.session_bus, cls.system_bus, cls.runtime,
                                         os.path.join(cls.home, ".config"))

    def move_for(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.mutter.pointer.input()
            time.sleep(0.2)

    def test_idle_and_active_from_the_idle_monitor(self):
        daemon = self.start(PAUSE_CONFIG)
        # Input just before each look: a start on a loaded machine can outlast the idle threshold.
        wait_until(lambda: (self.mutter.pointer.input(), self.presence() == "active")[1], "input seen")
        wait_until(lambda: self.presence() == "idle", "idle after a second")
        self.move_for(2)
        self.assertEqual(self.presence(), "active")
        time.sleep(2.5)  # a short pause: sitting, counted as work
        s = status(daemon)
        self.assertEqual((s["presence"], s["state"]), ("idle", "working"))
        self.assertGreaterEqual(s["worked"], 4)  # the moving and the pause
        wait_until(lambda: history(daemon) == ["natural"], "a long spell as a natural break", timeout=14)
        self.assertIn("Presence: idle (idle source: gnome, GNOME session)", daemon.ctl("status")[1])

    def test_started_while_the_user_is_already_idle(self):
        self.mutter.pointer.input()
        time.sleep(2)
        self.start()
        self.assertEqual(self.presence(), "idle")
        self.mutter.pointer.input()
        wait_until(lambda: self.presence() == "active", "input seen")

    def test_mutter_killed_and_started_again(self):
        self.mutter.pointer.input()
        daemon = self.start()
        wait_until(lambda: self.presence() == "idle", "idle")
        self.mutter.kill()
        wait_until(lambda: self.presence() == "active", "the monitor gone: all time counts")
        self.assertIn("GNOME's idle monitor left the session bus", daemon.stderr())
        self.mutter.start()
        wait_until(lambda: daemon.stderr().count("watching input through GNOME's idle monitor") == 2,
                   "the monitor taken up again")
        wait_until(lambda: self.presence() == "idle", "idle seen again")
        self.mutter.pointer.input()
        wait_until(lambda: self.presence() == "active", "input seen again")

    def test_a_compositor_too_busy_to_answer_is_asked_again(self):
        os.kill(self.mutter.process.pid, signal.SIGSTOP)  # on the bus, but answering nothing
        try:
            daemon = self.start()
            wait_until(lambda: "GNOME's idle monitor did not take an idle watch" in daemon.stderr(),
                       "the call to time out", timeout=40)
        finally:
            os.kill(self.mutter.process.pid, signal.SIGCONT)
        wait_until(lambda: self.presence() == "idle", "the idle watch taken at last", timeout=20)
        self.mutter.pointer.input()
        wait_until(lambda: self.presence() == "active", "input seen")

    def test_the_wayland_source_forced_on_mutter_which_has_no_idle_protocol_says_so(self):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        self.daemon = Daemon(work, CONFIG + 'source = "wayland"\n', env=dict(
            GNOME_SESSION, WAYLAND_DISPLAY=os.path.join(self.runtime, "wayland-0"),
            DBUS_SESSION_BUS_ADDRESS=self.session_bus.address))
        wait_until(lambda: status(self.daemon)["idle_protocol"].startswith("not watched"), "the protocols looked for")
        self.assertIn("; not watched: the compositor offers neither ext_idle_notifier_v1 nor org_kde_kwin_idle)",
                      self.daemon.ctl("status")[1])
        self.assertIn("offers no idle protocol", self.daemon.stderr())

    def test_a_due_break_waits_for_a_pause_in_input(self):
        self.mutter.pointer.input()
        check_a_break_waits_for_a_pause(self, self.start(SMART_CONFIG), self.move_for)

    def test_an_inhibitor_held_without_input_is_work_unless_configured_otherwise(self):
        self.mutter.pointer.input()
        daemon = self.start()
        inhibitor = self.gnome_session.inhibit_idle()
        try:
            wait_until(lambda: status(daemon)["inhibited"], "the inhibitor seen")
            time.sleep(5)  # no input; Mutter says nothing while the inhibitor is held
            s = status(daemon)
            self.assertGreaterEqual(s["worked"], 4)
            self.assertEqual(history(daemon), [])
            daemon.stop()

            daemon = self.start(CONFIG + "inhibited_counts_as_work = false\n")
            wait_until(lambda: status(daemon)["inhibited"], "the inhibitor seen")
            wait_until(lambda: self.presence() == "idle", "idle seen under the inhibitor", timeout=5)
            wait_until(lambda: history(daemon) == ["natural"], "the natural break", timeout=8)
            self.mutter.pointer.input()
            wait_until(lambda: self.presence() == "active", "input seen under the inhibitor")
        finally:
            self.processes.stop(inhibitor)
        wait_until(lambda: not status(daemon)["inhibited"], "the inhibitor gone")


class GnomeShellTest(GnomeDesktop):
    @classmethod
    def start_desktop(cls):
        super().start_desktop()
        cls.shell = GnomeShell(cls.processes, cls.session_bus, cls.system_bus, cls.logind, cls.runtime, cls.home)

    def test_the_lock_screen(self):
        daemon = self.start()
        wait_until(lambda: "'postured'" in self.logind.inhibitors(), "the sleep delay inhibitor")
        self.shell.screensaver("Lock")
        wait_until(lambda: self.presence() == "locked", "locked")
        self.assertEqual(self.shell.screensaver("GetActive"), "(true,)")
        wait_until(lambda: history(daemon) == ["natural"], "the lock as a natural break", timeout=8)
        self.shell.screensaver("SetActive", "false")
        wait_until(lambda: self.presence() != "locked", "unlocked")

    def show_banners(self, on):
        """What GNOME's do-not-disturb switch does."""
        subprocess.run(["dconf", "write", "/org/gnome/desktop/notifications/show-banners", "true" if on else "false"],
                       check=True, timeout=10, env=self.shell.env)

    def test_do_not_disturb_holds_a_break_until_it_ends(self):
        self.addCleanup(self.show_banners, True)
        self.show_banners(False)
        # All time is work; a break after 3 s, held at most a minute.
        self.daemon = daemon = Daemon(tempfile.mkdtemp(dir=self.tmp.name), CONFIG.replace(
            'interval = "10s"', 'interval = "3s"') + 'source = "none"\ndnd_max_delay = "1m"\n',
            runtime=self.runtime, env=dict(GNOME_SESSION, HOME=self.home, XDG_CONFIG_HOME=self.shell.env["XDG_CONFIG_HOME"],
                                           DBUS_SESSION_BUS_ADDRESS=self.session_bus.address,
                                           DBUS_SYSTEM_BUS_ADDRESS=self.system_bus.address))
        wait_until(lambda: status(daemon)["state"] == "held", "the break held")
        self.assertEqual(status(daemon)["held_by"], "do-not-disturb (GNOME)")
        self.assertIn("Break held: ", daemon.ctl("status")[1])
        time.sleep(1)
        self.assertNotIn("break: ", daemon.stderr())
        self.show_banners(True)
        wait_until(lambda: "break: " in daemon.stderr(), "the break once do-not-disturb ends", timeout=15)
        self.assertRegex(break_line(daemon), r"\(held \d+s by do-not-disturb \(GNOME\), until it ended\)$")
        self.assertNotIn("breaks go to the console", daemon.stderr())  # GNOME Shell's notification
        self.assertEqual(history(daemon), [])


if __name__ == "__main__":
    harness.main()
