#!/usr/bin/python3
"""Presence on Wayland compositors other than GNOME: the real postured watching a real sway run headless
(org_kde_kwin_idle; input from wtype and sway's seat command; an idle inhibitor from a small Wayland client) and a
real KWin run with a virtual output (ext_idle_notifier_v1; its screen locker; D-Bus inhibitors seen through the
real PowerDevil). logind and UPower are python-dbusmock's, on a stand-in system bus. Second-scale settings: an
idle_after of 1 s, a natural break of 4 s."""
import os
import subprocess
import sys
import tempfile
import time
import unittest

import harness
from desktop import (PRESENCE_CONFIG as CONFIG, PAUSE_CONFIG, SMART_CONFIG, KWin, PowerDevil, SessionTest, Sway, TestUser, history,
                     need, status, break_line, check_a_break_waits_for_a_pause, type_until_held)
from harness import Daemon, read_line, wait_until

harness.BUILD = sys.argv.pop(1)
IDLE_INHIBITOR = sys.argv.pop(1)


class WaylandDesktop(SessionTest):
    desktop = None  # XDG_CURRENT_DESKTOP
    def start(self, display, config=CONFIG, env=None):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        self.daemon = Daemon(work, config, env={
            "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": self.desktop, "WAYLAND_DISPLAY": display,
            "XDG_SESSION_ID": "c1", "DBUS_SESSION_BUS_ADDRESS": self.session_bus.address,
            "DBUS_SYSTEM_BUS_ADDRESS": self.system_bus.address, **(env or {})})
        wait_until(lambda: status(self.daemon)["idle_source"] == "wayland", "the Wayland idle source")
        wait_until(lambda: "watching sleep, locks and inhibitors through logind" in self.daemon.stderr(),
                   "logind to be watched")
        return self.daemon

    def worked(self):
        return status(self.daemon)["worked"]


class SwayTest(WaylandDesktop):
    desktop = "sway"

    @classmethod
    def start_desktop(cls):
        cls.user = TestUser()
        cls.sway = Sway(cls.processes, cls.user)

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            if getattr(cls, "user", None):
                cls.user.remove()

    def start(self, config=CONFIG):
        daemon = super().start(self.sway.display, config, env={"SWAYSOCK": self.sway.ipc()})
        wait_until(lambda: status(daemon)["idle_protocol"] == "org_kde_kwin_idle", "KDE's idle protocol bound")
        return daemon

    def type_for(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.sway.type()
            time.sleep(0.2)

    def test_typing_pausing_and_a_natural_break(self):
        self.sway.type()
        daemon = self.start(PAUSE_CONFIG)
        self.type_for(2.5)
        self.assertEqual(self.presence(), "active")
        wait_until(lambda: self.presence() == "idle", "idle a second after the last key")
        self.sway.move()
        wait_until(lambda: self.presence() == "active", "the pointer moved")
        time.sleep(2.5)  # a short pause: sitting, counted as work
        s = status(daemon)
        self.assertEqual((s["presence"], s["state"]), ("idle", "working"))
        self.assertGreaterEqual(s["worked"], 5)  # the typing, the first pause and this one
        self.assertEqual(history(daemon), [])
        wait_until(lambda: history(daemon) == ["natural"], "a long pause as a natural break", timeout=14)
        self.assertEqual(self.worked(), 0)
        self.assertIn("Presence: idle (idle source: wayland, sway session on "
                      f"{self.sway.display}; org_kde_kwin_idle)", daemon.ctl("status")[1])

    def test_started_while_the_user_is_already_idle(self):
        self.sway.type()
        time.sleep(2)
        self.start()
        # The compositor counts from the request, so idle is told a second later, dated from the start.
        wait_until(lambda: self.presence() == "idle", "idle a threshold after the start")
        self.assertEqual(status(self.daemon)["state"], "working")  # a pause since the start: sitting
        wait_until(lambda: history(self.daemon) == ["natural"], "the pause as a natural break", timeout=8)
        self.assertEqual(self.worked(), 0)
        self.sway.type()
        wait_until(lambda: self.presence() == "active", "input seen")

    def test_an_idle_inhibitor_keeps_the_user_sitting(self):
        # A video already playing when the daemon asks to be told of idleness: sway then tells it
        # none, however slow this machine is. (Inhibited after it told idle, sway tells nothing more,
        # not even input, until the inhibitor goes: it stops its idle timers.)
        inhibitor = subprocess.Popen([IDLE_INHIBITOR], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=self.sway.client_env())
        self.addCleanup(self.processes.stop, inhibitor)  # a failed case must not leave sway inhibited
        self.assertEqual(read_line(inhibitor).strip(), "inhibiting")
        wait_until(self.sway.inhibiting, "sway to take the inhibitor")
        self.sway.type()
        daemon = self.start()
        time.sleep(5)  # a video watched without input: no idle event, counted as work
        self.assertEqual(self.presence(), "active")
        self.assertGreaterEqual(self.worked(), 4)
        self.assertEqual(history(daemon), [])
        inhibitor.stdin.close()
        inhibitor.wait(10)
        wait_until(lambda: self.presence() == "idle", "idle once the inhibitor is gone")
        worked = self.worked()
        wait_until(lambda: history(daemon) == ["natural"], "the natural break", timeout=8)
        self.assertGreaterEqual(worked, 4)

    def test_a_lock_told_through_logind_ends_at_the_next_input(self):
        self.sway.type()
        daemon = self.start()
        self.logind.lock()  # swayidle's `loginctl lock-session`: swaylock itself tells nobody
        wait_until(lambda: self.presence() == "locked", "locked")
        wait_until(lambda: history(daemon) == ["natural"], "the lock as a natural break", timeout=8)
        self.sway.type()  # swaylock took the password
        wait_until(lambda: self.presence() == "active", "the user back")

    def test_sway_killed_and_started_again(self):
        self.sway.type()
        daemon = self.start()
        wait_until(lambda: self.presence() == "idle", "idle")
        self.sway.kill()
        wait_until(lambda: self.presence() == "active", "the compositor gone: all time counts")
        self.assertIn(f"lost the Wayland display {self.sway.display}", daemon.stderr())
        self.assertIn("not connected", status(daemon)["idle_protocol"])
        self.sway.start()
        wait_until(lambda: "watching input on the Wayland display" in daemon.stderr(), "the compositor found again",
                   timeout=20)
        wait_until(lambda: status(daemon)["idle_protocol"] == "org_kde_kwin_idle", "the protocol bound again")
        wait_until(lambda: self.presence() == "idle", "idle seen again")
        self.sway.type()
        wait_until(lambda: self.presence() == "active", "input seen again")


    def test_a_due_break_waits_for_a_pause_in_typing(self):
        self.sway.type()
        check_a_break_waits_for_a_pause(self, self.start(SMART_CONFIG), self.type_for)

    def open_window(self, title):
        """A GTK window: zenity's."""
        need("zenity")
        process = self.processes.start("zenity-" + title, ["zenity", "--info", "--title", title, "--text", title],
                                       env=dict(self.sway.client_env(), GDK_BACKEND="wayland", NO_AT_BRIDGE="1",
                                                DBUS_SESSION_BUS_ADDRESS=self.session_bus.address))
        self.addCleanup(self.processes.stop, process)
        wait_until(lambda: self.sway.msg(f'[title="{title}"]', "focus"), f"the window {title}")
        return process

    def test_a_full_screen_window_holds_a_due_break(self):
        self.open_window("film")
        self.sway.msg('[title="film"]', "fullscreen", "enable", check=True)
        self.sway.type()
        daemon = self.start(CONFIG.replace('interval = "10s"', 'interval = "4s"') + 'dnd_max_delay = "1m"\n')
        type_until_held(self, daemon, self.type_for, "a full-screen window")
        self.type_for(2)
        self.assertNotIn("break: ", daemon.stderr())
        self.sway.msg('[title="film"]', "fullscreen", "disable", check=True)
        wait_until(lambda: "break: " in daemon.stderr(), "the break once the window is not full screen", timeout=15)
        self.assertRegex(break_line(daemon), r"\(held \d+s by a full-screen window, until it ended\)$")
        self.sway.msg("workspace", "2", check=True)  # an empty workspace
        self.sway.msg('[title="film"]', "fullscreen", "enable", check=True)  # not in focus: nothing held
        time.sleep(0.5)
        self.assertEqual(daemon.stderr().count("quiet: a full-screen window"), 1)
        self.sway.msg("workspace", "1", check=True)  # the full-screen window in focus again
        wait_until(lambda: daemon.stderr().count("quiet: a full-screen window") == 2, "the window seen again")

    def start_mako(self):
        need("mako", "makoctl", "dbus-monitor")
        config = os.path.join(self.tmp.name, "mako.conf")
        with open(config, "w") as f:
            f.write("default-timeout=0\n[mode=do-not-disturb]\ninvisible=1\n")
        env = dict(self.sway.client_env(), DBUS_SESSION_BUS_ADDRESS=self.session_bus.address)
        mako = self.processes.start("mako", ["mako", "-c", config], env=env)
        self.addCleanup(self.processes.stop, mako)
        self.session_bus.wait_for("org.freedesktop.Notifications")
        return lambda *args: subprocess.run(["makoctl", *args], check=True, capture_output=True, text=True,
                                            timeout=10, env=env).stdout

    def watch_list_modes(self):
        """Every call of mako's ListModes on the bus, as dbus-monitor prints it."""
        log = os.path.join(self.tmp.name, "list-modes.log")
        monitor = self.processes.start("list-modes", [
            "dbus-monitor", "--address", self.session_bus.address, "--profile",
            "type='method_call',interface='fr.emersion.Mako',member='ListModes'"])
        self.addCleanup(self.processes.stop, monitor)
        time.sleep(0.5)  # subscribed
        def count():
            with open(monitor.log_path) as f:
                return f.read().count("ListModes")
        return count

    def test_mako_do_not_disturb_holds_a_break_and_is_asked_only_while_one_is_due(self):
        makoctl = self.start_mako()
        makoctl("mode", "-a", "do-not-disturb")
        asked = self.watch_list_modes()
        self.sway.type()
        # A break after 6 s of work, held at most a minute.
        daemon = self.start(CONFIG.replace('interval = "10s"', 'interval = "6s"') + 'dnd_max_delay = "1m"\n')
        self.type_for(3)
        self.assertEqual(asked(), 0)  # nothing is due: mako is not asked
        type_until_held(self, daemon, self.type_for, "do-not-disturb (mako)")
        self.type_for(6)
        self.assertEqual(status(daemon)["state"], "held")
        self.assertNotIn("break: ", daemon.stderr())
        self.assertIn(asked(), (2, 3))  # at the due moment, and every 5 s while held
        makoctl("mode", "-r", "do-not-disturb")
        ended = time.monotonic()
        while "break: " not in daemon.stderr():
            self.type_for(0.5)
            self.assertLess(time.monotonic() - ended, 30, "the break never came after do-not-disturb ended")
        # The end of do-not-disturb let it go, not dnd_max_delay's minute.
        self.assertRegex(break_line(daemon), r"\(held \d+s by do-not-disturb \(mako\), until it ended\)$")
        stretch = break_line(daemon).split(" (held ")[0]
        wait_until(lambda: stretch in makoctl("list"), "the break in mako")
        makoctl("invoke")  # what a click on it does: its default action, Done
        wait_until(lambda: "break done:" in daemon.stderr(), "the click to answer the break")
        after = asked()
        self.type_for(4)  # short of the next break
        self.assertEqual(asked(), after)  # answered: asked no more
        self.assertNotIn("missed", history(daemon))


class KWinTest(WaylandDesktop):
    desktop = "KDE"

    @classmethod
    def start_desktop(cls):
        cls.kwin = KWin(cls.processes, cls.session_bus, cls.system_bus, cls.logind, cls.runtime, cls.home)
        cls.powerdevil = PowerDevil(cls.processes, cls.session_bus, cls.system_bus, cls.kwin)

    def start(self, config=CONFIG):
        daemon = super().start(self.kwin.display, config)
        wait_until(lambda: status(daemon)["idle_protocol"] == "ext_idle_notifier_v1",
                   "ext-idle-notify chosen over KDE's own protocol")
        return daemon

    def test_idle_and_active_through_ext_idle_notify(self):
        self.kwin.input()
        daemon = self.start()
        wait_until(lambda: self.presence() == "idle", "idle")
        self.kwin.input()
        wait_until(lambda: self.presence() == "active", "input seen")
        wait_until(lambda: history(daemon) == ["natural"], "a long pause as a natural break", timeout=8)
        self.assertIn("; ext_idle_notifier_v1)", daemon.ctl("status")[1])

    def test_the_screen_locker(self):
        self.kwin.input()
        self.start()
        self.kwin.screensaver("Lock")
        wait_until(lambda: self.presence() == "locked", "locked")
        self.kwin.input()  # a key on the lock screen: still locked
        time.sleep(0.5)
        self.assertEqual(self.presence(), "locked")
        # The greeter unlocks through logind, as the mock's session does here.
        self.logind.call("/org/freedesktop/login1/session/auto", "org.freedesktop.login1.Session.Unlock")
        wait_until(lambda: self.presence() != "locked", "unlocked")

    def test_a_dbus_inhibitor_is_seen_through_powerdevil(self):
        inhibitor = self.powerdevil.inhibit()
        try:
            self.kwin.input()
            daemon = self.start()
            wait_until(lambda: status(daemon)["inhibited"], "the inhibitor seen")
            time.sleep(5)  # KWin says idle, but the video is watched: counted as work
            self.assertEqual(self.presence(), "idle")
            self.assertGreaterEqual(self.worked(), 4)
            self.assertEqual(history(daemon), [])
            self.assertIn("an idle inhibitor is held", daemon.ctl("status")[1])
        finally:
            self.processes.stop(inhibitor)
        wait_until(lambda: not status(daemon)["inhibited"], "the inhibitor let go", timeout=15)


if __name__ == "__main__":
    harness.main()
