#!/usr/bin/python3
"""Presence on X11, with logind: the real postured watching a real X server (Xvfb, input from
xdotool), with python-dbusmock's logind on a stand-in system bus for sleep, locks and inhibitors,
and private session bus. Second-scale settings: a pause noticed after 1 s, a natural break at 4 s."""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import harness
from desktop import (PRESENCE_CONFIG as CONFIG, PAUSE_CONFIG, SMART_CONFIG, SessionTest, break_line,
                     check_a_break_waits_for_a_pause, type_until_held, Xvfb, history, need, saved_at, status)
from harness import Daemon, wait_until

harness.BUILD = sys.argv.pop(1)


class PresenceX11Test(SessionTest):
    @classmethod
    def start_desktop(cls):
        need("Xvfb", "xdpyinfo", "xdotool", "openbox", "wmctrl", "xmessage")
        cls.x = Xvfb(cls.processes)
        # A window manager, which tells the window in focus and whether it is full screen.
        openbox = cls.processes.start("openbox", ["openbox", "--sm-disable"],
                                      env=dict(os.environ, DISPLAY=cls.x.display,
                                               DBUS_SESSION_BUS_ADDRESS=cls.session_bus.address))
        cls.processes.wait_for(openbox, lambda: cls.x.run("wmctrl", "-m").returncode == 0, "openbox")

    def setUp(self):
        super().setUp()
        self.logind.set_locked_hint(False)
        self.logind.block_inhibited("")

    def start(self, config=CONFIG, display=None, source="x11", session_id="c1"):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        env = {"DISPLAY": display or self.x.display, "DBUS_SESSION_BUS_ADDRESS": self.session_bus.address,
               "DBUS_SYSTEM_BUS_ADDRESS": self.system_bus.address}
        if session_id:
            env["XDG_SESSION_ID"] = session_id
        self.daemon = Daemon(work, config, env=env)
        wait_until(lambda: status(self.daemon)["idle_source"] == source, f"the idle source {source}")
        wait_until(lambda: "watching sleep, locks and inhibitors through logind" in self.daemon.stderr(),
                   "logind to be watched")
        return self.daemon

    def type_for(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.x.input()
            time.sleep(0.2)


    def test_reading_pauses_are_sitting_and_reach_the_interval(self):
        self.x.input()
        self.start(PAUSE_CONFIG)
        for _ in range(2):
            self.type_for(2.5)
            time.sleep(2.5)  # idle after 1 s, dated back to the last input; shorter than a natural break
        # 5 s typed over 10 s: the pauses are sitting, so the 10 s interval is reached with no
        # natural break; counting typing alone it would be 5 s.
        wait_until(lambda: status(self.daemon)["state"] == "due", "the break", timeout=15)
        self.assertEqual(history(self.daemon), [])

    def test_a_short_pause_is_sitting_and_counts(self):
        self.x.input()
        self.start(PAUSE_CONFIG)
        self.type_for(3)
        time.sleep(3)  # under natural_break
        s = status(self.daemon)
        self.assertEqual((s["presence"], s["state"]), ("idle", "working"))
        self.assertGreaterEqual(s["worked"], 5)  # the typing and the pause
        self.type_for(1)
        self.assertGreaterEqual(status(self.daemon)["worked"], s["worked"])
        self.assertEqual(history(self.daemon), [])

    def test_a_long_idle_spell_is_a_natural_break(self):
        self.x.input()
        self.start(PAUSE_CONFIG)
        self.assertEqual(history(self.daemon), [])
        self.type_for(3)
        wait_until(lambda: history(self.daemon) == ["natural"], "the natural break", timeout=15)
        self.assertEqual(status(self.daemon)["worked"], 0)
        self.x.input()
        wait_until(lambda: self.presence() == "active", "the user back")
        self.assertEqual(status(self.daemon)["state"], "working")

    def test_a_lock_of_either_length(self):
        self.x.input()
        # A natural break long beside the short lock, which a slow machine makes longer than it is.
        self.start(CONFIG.replace('natural_break = "4s"', 'natural_break = "10s"'))
        self.type_for(2)
        self.logind.set_locked_hint(True)  # a locker that tells logind
        wait_until(lambda: self.presence() == "locked", "locked")
        worked = status(self.daemon)["worked"]
        self.assertGreaterEqual(worked, 2)
        time.sleep(2)
        self.assertEqual(status(self.daemon)["worked"], worked)  # the lock not counted
        self.logind.set_locked_hint(False)
        self.x.input()
        wait_until(lambda: self.presence() == "active", "unlocked")
        self.assertGreaterEqual(status(self.daemon)["worked"], worked)  # not reset
        self.assertEqual(history(self.daemon), [])

        self.logind.set_locked_hint(True)
        wait_until(lambda: history(self.daemon) == ["natural"], "the lock as a natural break", timeout=15)
        self.x.input()  # the password typed on the lock screen: still locked
        time.sleep(0.5)
        self.assertEqual(self.presence(), "locked")
        self.logind.set_locked_hint(False)
        self.x.input()  # a second later the password is long typed: back at work, or idle
        wait_until(lambda: self.presence() == "active", "unlocked")

    def test_a_lock_nobody_says_ended_ends_at_the_next_input(self):
        self.x.input()
        self.start()
        self.logind.lock()  # loginctl lock-session, with a locker such as i3lock that tells nobody
        wait_until(lambda: self.presence() == "locked", "locked")
        time.sleep(1.5)
        self.assertEqual(self.presence(), "locked")
        self.x.input()
        wait_until(lambda: self.presence() == "active", "the user back")

    def test_sleep_is_delayed_until_the_state_is_saved_and_a_long_one_brings_one_break(self):
        self.x.input()
        daemon = self.start()
        wait_until(lambda: "'postured'" in self.logind.inhibitors(), "the sleep delay inhibitor")
        self.assertIn("('sleep', 'postured', 'Saving the work time counted', 'delay'", self.logind.inhibitors())
        self.assertEqual(daemon.ctl("break")[0], 0)  # a break waiting for an answer
        shown = daemon.stderr().count("break: ")
        time.sleep(2)  # idle by now, and saved: nothing more to save until the sleep
        before = saved_at(daemon)
        time.sleep(1.1)
        self.logind.prepare_for_sleep(True)
        wait_until(lambda: "'postured'" not in self.logind.inhibitors(), "the delay let go")
        self.assertGreater(saved_at(daemon), before)  # saved before it was let go
        self.assertEqual(self.presence(), "asleep")
        time.sleep(4.5)  # a long sleep: a natural break
        self.logind.prepare_for_sleep(False)
        woke = time.monotonic()
        wait_until(lambda: "'postured'" in self.logind.inhibitors(), "the sleep delay taken again")
        self.assertEqual(history(self.daemon), ["natural"])
        while time.monotonic() - woke < 2:  # return_grace: no break in the first moments back
            self.x.input()
            self.assertNotEqual(status(daemon)["state"], "due")
            time.sleep(0.2)
        self.assertEqual(daemon.stderr().count("break: "), shown)

    def test_a_snooze_ends_on_time_across_a_suspend(self):
        self.x.input()
        daemon = self.start(PAUSE_CONFIG)
        self.x.input()  # a loaded machine's slow start is no natural break that would end the snooze early
        self.assertEqual(daemon.ctl("break")[0], 0)
        snoozed = time.monotonic()  # before the snooze: the time until the break is not less than this
        self.assertEqual(daemon.ctl("snooze", "6s")[0], 0)
        answered = time.monotonic()
        # The wakeup is on CLOCK_BOOTTIME (7), which counts through a real suspend, armed for the
        # snooze's end at the latest (a natural break's comes first once the user is seen idle).
        read = time.monotonic()
        timers = [t for t in timerfds(daemon.process.pid) if t["clockid"] == 7]
        self.assertTrue(any(read + t["left"] <= answered + 6.05 and (t["left"] > 0 or t["ticks"] > 0)
                            for t in timers), timers)
        end = snooze_end(daemon)
        self.assertIsNotNone(end)
        self.type_for(1)  # at work until the lid closes: the sleep alone is no natural break
        self.logind.prepare_for_sleep(True)
        wait_until(lambda: "'postured'" not in self.logind.inhibitors(), "the delay let go")
        os.kill(daemon.process.pid, signal.SIGSTOP)  # frozen, as in a suspend
        time.sleep(2)
        os.kill(daemon.process.pid, signal.SIGCONT)
        self.logind.prepare_for_sleep(False)
        # The daemon still ends the snooze when it said it would, the suspend not added to it.
        if after := snooze_end(daemon):
            self.assertTrue(after[0] - 1 <= end[1] and end[0] - 1 <= after[1], (end, after))
        while status(daemon)["state"] != "due":
            self.x.input()
            time.sleep(0.1)
        self.assertGreaterEqual(time.monotonic() - snoozed, 6)  # never before the snooze's end

    def test_an_inhibitor_held_without_input_is_work_unless_configured_otherwise(self):
        self.x.input()
        daemon = self.start()
        self.logind.block_inhibited("sleep:idle")  # a video call
        wait_until(lambda: status(daemon)["inhibited"], "the inhibitor seen")
        # Idle from here, with the inhibitor seen: whatever a slow start saw before is not this spell.
        self.x.input()
        before = history(daemon)
        time.sleep(5)
        s = status(daemon)
        self.assertEqual(s["presence"], "idle")
        self.assertGreaterEqual(s["worked"], 4)
        self.assertEqual(history(daemon), before)
        self.assertIn("an idle inhibitor is held", daemon.ctl("status")[1])
        daemon.stop()

        self.x.input()
        daemon = self.start(CONFIG + "inhibited_counts_as_work = false\n")
        wait_until(lambda: status(daemon)["inhibited"], "the inhibitor seen")
        wait_until(lambda: history(daemon) == ["natural"], "the natural break", timeout=8)
        self.logind.block_inhibited("")
        wait_until(lambda: not status(daemon)["inhibited"], "the inhibitor gone")

    def test_the_configuration_picks_the_idle_source(self):
        self.x.input()
        daemon = self.start(CONFIG + 'source = "none"\n', source="none")
        time.sleep(1.5)  # idle for the X server, but nobody asks it
        self.assertEqual(self.presence(), "active")
        self.assertEqual(status(daemon)["idle_source_note"], "turned off in the configuration")
        self.assertIn("Presence: not watched (no idle source: turned off in the configuration)",
                      daemon.ctl("status")[1])
        daemon.stop()

        self.start(CONFIG + 'source = "logind"\n', source="logind")  # the session's idle hint
        # Idle since ten seconds, longer than a natural break: dated from the hint, the pause is one
        # the moment the daemon hears of it, in the same step, whenever that is.
        since = int((time.clock_gettime(time.CLOCK_MONOTONIC) - 10) * 1e6)
        self.logind.mock(self.logind.session_path, "UpdateProperties", "org.freedesktop.login1.Session",
                         f"{{'IdleHint': <true>, 'IdleSinceHintMonotonic': <uint64 {since}>}}")
        wait_until(lambda: self.presence() == "idle", "the idle hint")
        self.assertEqual(history(self.daemon), ["natural"])
        self.assertEqual(status(self.daemon)["state"], "away")
        self.logind.mock(self.logind.session_path, "UpdateProperties", "org.freedesktop.login1.Session",
                         "{'IdleHint': <false>}")
        wait_until(lambda: self.presence() == "active", "the idle hint cleared")

    def test_a_user_service_finds_the_graphical_session_through_the_user(self):
        # A user service runs outside the session and has no XDG_SESSION_ID: logind's user knows its display.
        user = f"/org/freedesktop/login1/user/{os.getuid()}"
        self.logind.call(user, "org.freedesktop.DBus.Properties.Set", "org.freedesktop.login1.User", "Display",
                         "<('c1', objectpath '/org/freedesktop/login1/session/c1')>")
        daemon = self.start(session_id=None)
        wait_until(lambda: "through logind (/org/freedesktop/login1/session/c1)" in daemon.stderr(), "session c1")
        self.logind.set_locked_hint(True)
        wait_until(lambda: self.presence() == "locked", "its lock seen")

    def test_started_while_the_user_is_already_idle(self):
        time.sleep(1.5)
        self.start()
        self.assertEqual(self.presence(), "idle")
        self.x.input()
        wait_until(lambda: self.presence() == "active", "input seen")

    def test_the_x_server_going_away_and_coming_back(self):
        x = Xvfb(self.processes)
        daemon = self.start(display=x.display)
        time.sleep(1.5)
        self.assertEqual(self.presence(), "idle")
        self.processes.stop(x.process, signal.SIGKILL)
        # Nothing tells idleness any more: all time counts, and the daemon runs on.
        wait_until(lambda: self.presence() == "active", "the idle source gone")
        self.assertIn(f"lost the X display {x.display}", daemon.stderr())
        x.start()
        wait_until(lambda: f"watching idle time on the X display {x.display} again" in daemon.stderr(),
                   "the X server taken up again", timeout=15)
        wait_until(lambda: self.presence() == "idle", "idleness seen again")
        x.input()
        wait_until(lambda: self.presence() == "active", "input seen again")
        self.assertEqual(daemon.stderr().count("lost the X display"), 1)

    SMART = SMART_CONFIG

    def test_a_due_break_waits_for_a_pause_in_typing(self):
        self.x.input()
        check_a_break_waits_for_a_pause(self, self.start(self.SMART), self.type_for)

    def test_a_due_break_comes_anyway_once_smart_timing_has_passed(self):
        self.x.input()
        daemon = self.start(self.SMART.replace('smart_timing = "20s"', 'smart_timing = "8s"'))
        started = time.monotonic()
        while "break: " not in daemon.stderr():
            self.x.input()  # typing without a pause
            time.sleep(0.2)
            self.assertLess(time.monotonic() - started, 40, "the break never came")
        self.assertRegex(break_line(daemon), r"\(after 8s of typing without a pause\)$")  # smart_timing

    def open_window(self, title):
        process = subprocess.Popen(["xmessage", "-title", title, "-geometry", "300x100", title],
                                   env=dict(os.environ, DISPLAY=self.x.display),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(process.wait)
        self.addCleanup(process.terminate)
        wait_until(lambda: title in self.x.run("wmctrl", "-l").stdout, f"the window {title}")
        self.wmctrl("-a", title)
        return process

    def wmctrl(self, *arguments):
        result = self.x.run("wmctrl", *arguments)
        self.assertEqual(result.returncode, 0, result.stderr)

    def full_screen(self, title, on=True):
        self.wmctrl("-r", title, "-b", ("add" if on else "remove") + ",fullscreen")

    # A break after 4 s of work, held at most 6 s; the natural break at 8 s stays out of the way of a
    # slow start and of the wait for the window to leave full screen.
    HELD = PAUSE_CONFIG.replace('interval = "10s"', 'interval = "4s"').replace(
        '[activity]', '[activity]\ndnd_max_delay = "6s"')

    def test_a_full_screen_window_holds_a_due_break_until_it_leaves_full_screen(self):
        self.open_window("film")
        self.full_screen("film")
        self.x.input()
        daemon = self.start(self.HELD)
        type_until_held(self, daemon, self.type_for, "a full-screen window")
        self.type_for(2)
        self.assertEqual(status(daemon)["state"], "held")
        self.full_screen("film", on=False)
        wait_until(lambda: "break: " in daemon.stderr(), "the break once the window is not full screen",
                   timeout=15)
        self.assertRegex(break_line(daemon), r"\(held \d+s by a full-screen window, until it ended\)$")
        self.assertEqual(history(daemon), [])  # shown, neither missed nor answered

    def test_a_full_screen_window_that_loses_the_focus_holds_nothing(self):
        self.open_window("film")
        self.full_screen("film")
        self.open_window("editor")  # in focus, not full screen
        self.x.input()
        daemon = self.start(self.HELD)
        self.type_for(5)
        wait_until(lambda: "break: " in daemon.stderr(), "the break at once, not held", timeout=15)
        self.assertNotIn("(held", break_line(daemon))
        self.wmctrl("-a", "film")  # focus back on the full-screen window
        wait_until(lambda: "quiet: a full-screen window" in daemon.stderr(), "the full-screen window seen")

    def test_a_break_held_by_a_full_screen_window_comes_after_dnd_max_delay(self):
        self.open_window("film")
        self.full_screen("film")
        self.x.input()
        daemon = self.start(self.HELD)
        type_until_held(self, daemon, self.type_for, "a full-screen window")
        # The hold began before the test saw it: its end is the daemon's to tell.
        left = status(daemon)["state_ends_in"]
        held = time.monotonic()
        self.assertTrue(1 <= left <= 6, left)  # dnd_max_delay = "6s", counted by the daemon
        while "break: " not in daemon.stderr():
            self.type_for(0.5)
            self.assertLess(time.monotonic() - held, 30, "the held break never came")
        self.assertRegex(break_line(daemon),
                         r"\(held 6s by a full-screen window, as long as dnd_max_delay allows\)$")
        self.assertEqual(status(daemon)["state"], "due")


def snooze_end(daemon):
    """When the daemon says its snooze ends, on this clock, as the earliest and the latest it can be:
    its status read between two times, with the whole seconds it tells; None when not snoozed."""
    before = time.monotonic()
    s = status(daemon)
    after = time.monotonic()
    return (before + s["state_ends_in"] - 1, after + s["state_ends_in"]) if s["state"] == "snoozed" else None


def timerfds(pid):
    """The daemon's timerfds: their clock, the seconds left, and the expiries not yet read."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fdinfo"):
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                info = f.read()
        except OSError:
            continue
        clock = re.search(r"^clockid:\s*(\d+)", info, re.M)
        value = re.search(r"^it_value:\s*\((\d+),\s*(\d+)\)", info, re.M)
        ticks = re.search(r"^ticks:\s*(\d+)", info, re.M)
        if clock and value:
            found.append({"clockid": int(clock.group(1)), "left": int(value.group(1)) + int(value.group(2)) / 1e9,
                          "ticks": int(ticks.group(1)) if ticks else 0})
    return found


if __name__ == "__main__":
    harness.main()
