#!/usr/bin/python3
"""Breaks as desktop notifications: the real postured against a real notification server (dunst
under Xvfb) on a private session bus, answered through dunst's own menu; and against
python-dbusmock's notification daemon for a server without actions. Run under dbus-run-session."""
import gettext
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
import unittest

import harness
import pictures

BUILD = harness.BUILD = sys.argv.pop(1)
POSTURED = os.path.join(BUILD, "postured")
POSTURECTL = os.path.join(BUILD, "posturectl")
# The shipped catalog, in the English it is written in.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "config", "stretches.toml"),
          "rb") as catalog:
    CATALOG = tomllib.load(catalog)["stretch"]
# Where the build draws the stretches' pictures, which the daemon finds beside its bin/.
PICTURES = os.path.join(os.path.dirname(BUILD), "share", "postured", "stretches")

CONFIG = """
[schedule]
interval = "3s"
working_hours = "always"
[notify]
renotify_after = "2s"
renotify_limit = 1
[snooze]
duration = "3s"
"""


def need(*tools):
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        raise SystemExit(f"FAIL: missing {', '.join(missing)} (.ci/install-deps --test installs them)")


def wait_until(predicate, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# Saves a part of the X screen as a PNG.
GRAB = """
import sys
import gi
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk
Gdk.init([])
path, x, y, width, height = sys.argv[1], *map(int, sys.argv[2:])
image = Gdk.pixbuf_get_from_window(Gdk.get_default_root_window(), x, y, width, height)
image.savev(path, "png", [], [])
"""



def translated_dose(words, english):
    """The dose line a stretch of the catalog has in `words`' language."""
    if "dose" in english:
        return words.gettext(english["dose"])
    amount, unit = int(english["hold"][:-1]), english["hold"][-1]  # "20s", "1m"
    hold = words.gettext(f"%d{unit}") % amount
    reps, each_side = english.get("reps", 1), english.get("sides") == "each"
    if reps > 1 and each_side:
        return words.ngettext("Hold %s · %d time · each side", "Hold %s · %d times · each side", reps) % (hold, reps)
    if reps > 1:
        return words.ngettext("Hold %s · %d time", "Hold %s · %d times", reps) % (hold, reps)
    if each_side:
        return words.gettext("Hold %s · each side") % hold
    return words.gettext("Hold %s") % hold

class NotifyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        need("Xvfb", "xdpyinfo", "dunst", "dunstctl", "gdbus")
        if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
            raise SystemExit("FAIL: run this under dbus-run-session, with a private session bus")
        read, write = os.pipe()
        cls.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                    pass_fds=[write], stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            cls.display = ":" + f.readline().strip()
        wait_until(lambda: subprocess.run(["xdpyinfo", "-display", cls.display], capture_output=True).returncode == 0,
                   "Xvfb")

    @classmethod
    def tearDownClass(cls):
        cls.xvfb.terminate()
        cls.xvfb.wait()

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="postured-notify-")
        self.env = dict(os.environ, DISPLAY=self.display, XDG_RUNTIME_DIR=os.path.join(self.work, "runtime"),
                        XDG_STATE_HOME=os.path.join(self.work, "state"))
        os.makedirs(self.env["XDG_RUNTIME_DIR"], mode=0o700)
        self.write("dmenu.sh", '#!/bin/sh\ndir=$(dirname "$0")\ncat > "$dir/menu.part"\n'
                               'grep -F -- "$(cat "$dir/choice")" "$dir/menu.part" | head -n 1\n'
                               'mv "$dir/menu.part" "$dir/menu"\n', executable=True)
        self.write("log.py", "#!/usr/bin/python3\nimport json, os\n"
                             f"with open({os.path.join(self.work, 'shown.jsonl')!r}, 'a') as f:\n"
                             "    f.write(json.dumps({k: v for k, v in os.environ.items() if k.startswith('DUNST_')}) + '\\n')\n",
                   executable=True)
        # No stacking of equal notifications: two of one break must show as two.
        self.write("dunstrc", f"[global]\n    dmenu = {self.path('dmenu.sh')}\n    stack_duplicates = false\n"
                              f"[log]\n    summary = \"*\"\n    script = {self.path('log.py')}\n")
        self.write("config.toml", CONFIG)
        self.processes = {}

    def tearDown(self):
        for name, process in self.processes.items():
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        shutil.rmtree(self.work, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.work, name)

    def write(self, name, text, executable=False):
        with open(self.path(name), "w") as f:
            f.write(text)
        if executable:
            os.chmod(self.path(name), 0o755)

    def read(self, name):
        try:
            with open(self.path(name)) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def start(self, name, command):
        with open(self.path(name + ".out"), "w") as out, open(self.path(name + ".err"), "w") as err:
            self.processes[name] = subprocess.Popen(command, env=self.env, stdout=out, stderr=err)
        return self.processes[name]

    def start_dunst(self):
        self.start("dunst", ["dunst", "-config", self.path("dunstrc")])
        # Not dunstctl: before dunst owns its name, D-Bus activation would start a second dunst.
        subprocess.run(["gdbus", "wait", "--session", "--timeout", "10", "org.freedesktop.Notifications"],
                       check=True, env=self.env)

    def stop(self, name):
        process = self.processes.pop(name)
        process.terminate()
        process.wait(10)

    def start_postured(self):
        return self.start("postured", [POSTURED, "--config", self.path("config.toml")])

    def log(self):
        return self.read("postured.err")

    def shown(self):
        return [json.loads(line) for line in self.read("shown.jsonl").splitlines()]

    def displayed(self):
        return int(subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True,
                                  env=self.env, check=True).stdout)

    def choose(self, label):
        """Picks an action from dunst's context menu, as a user would; returns what it offered."""
        self.write("choice", label)
        if os.path.exists(self.path("menu")):
            os.remove(self.path("menu"))
        subprocess.run(["dunstctl", "context"], env=self.env, check=True)  # dunst runs dmenu later
        return wait_until(lambda: self.read("menu").splitlines(), "dunst's menu")

    def status(self):
        """The daemon's status; empty before it listens."""
        out = subprocess.run([POSTURECTL, "--json", "status"], capture_output=True, text=True, env=self.env).stdout
        return json.loads(out).get("status", {})  # none before the daemon listens

    def first_break(self):
        self.start_dunst()
        self.start_postured()
        return wait_until(lambda: self.shown(), "the first break in dunst")[0]

    def test_the_break_as_the_user_sees_it(self):
        shown = self.first_break()
        stretch = self.status()["next_stretch"]
        self.assertEqual(shown["DUNST_APP_NAME"], "postured")
        self.assertEqual(shown["DUNST_SUMMARY"], stretch)
        # The dose first, then the caution leading the steps as one paragraph, then the posture reset.
        dose, steps, *reset = shown["DUNST_BODY"].split("\n")
        listed = subprocess.run([POSTURECTL, "--json", "stretches", "list"], capture_output=True, text=True, env=self.env)
        stretch = next(s for s in json.loads(listed.stdout)["stretches"] if s["name"] == stretch)
        self.assertEqual(dose, stretch["dose"])
        self.assertEqual(steps, " ".join(["Stretch only as far as is comfortable."] + stretch["steps"]))
        # A break whose stretch is the posture reset itself does not repeat it.
        self.assertEqual(reset, [] if stretch["id"] == "thoracic-extension" else
                         ["Hourly reset: shoulder blades together 3–5s, 10 times."])
        self.assertEqual(shown["DUNST_URGENCY"], "NORMAL")
        self.assertEqual(shown["DUNST_CATEGORY"], "x-postured.break")
        self.assertEqual(shown["DUNST_DESKTOP_ENTRY"], "postured")
        self.assertEqual(shown["DUNST_TIMEOUT"], "0")
        menu = self.choose("nothing")
        # dunst lists actions in a menu: Done once, as the click's action, which it puts anywhere.
        self.assertEqual(sorted(re.sub(r" \(.*", "", line) for line in menu), ["#Done", "#Skip", "#Snooze 3s"])
        self.assertEqual(self.displayed(), 1)

    def test_the_break_in_german_and_in_japanese(self):
        """Under a German session, then a Japanese one, the whole break is in that language: the
        translations the build installs beside the program, read back from dunst."""
        for locale, language in (("de_DE.UTF-8", "de"), ("ja_JP.UTF-8", "ja")):
            with self.subTest(language=language):
                words = gettext.translation("postured", os.path.join(os.path.dirname(BUILD), "share", "locale"),
                                            languages=[language])
                caution = words.gettext("Stretch only as far as is comfortable.")
                self.assertNotEqual(caution, "Stretch only as far as is comfortable.")
                self.env.update(LANG=locale, LANGUAGE=language)
                for name in ("dunst", "postured"):
                    if name in self.processes:
                        self.stop(name)
                self.write("shown.jsonl", "")
                shown = self.first_break()
                status = self.status()
                listed = subprocess.run([POSTURECTL, "--json", "stretches", "list"], capture_output=True, text=True,
                                        env=self.env)
                stretch = next(s for s in json.loads(listed.stdout)["stretches"] if s["id"] == status["next_stretch_id"])
                english = next(s for s in CATALOG if s["id"] == stretch["id"])
                # The daemon speaks the session's language: names and steps are the catalog's translations.
                self.assertEqual(stretch["name"], words.gettext(english["name"]))
                self.assertNotEqual(stretch["name"], english["name"])
                self.assertEqual(shown["DUNST_SUMMARY"], stretch["name"])
                dose, steps, *reset = shown["DUNST_BODY"].split("\n")
                self.assertEqual(dose, stretch["dose"])
                self.assertEqual(dose, translated_dose(words, english))
                self.assertEqual(steps, " ".join([caution] + [words.gettext(s) for s in english["steps"]]))
                self.assertEqual(reset, [] if stretch["id"] == "thoracic-extension" else
                                 [words.gettext("Hourly reset: shoulder blades together 3–5s, 10 times.")])
                # CONFIG snoozes for 3 s: "Snooze 3s" in the language's own words and units.
                snooze = words.gettext("Snooze %s") % (words.gettext("%ds") % 3)
                menu = self.choose("nothing")
                self.assertEqual(sorted(re.sub(r" \(.*", "", line) for line in menu),
                                 sorted("#" + label for label in (words.gettext("Done"), words.gettext("Skip"), snooze)))
                # The journal stays English.
                self.assertIn("break: " + english["name"], self.log())
                self.assertNotIn(stretch["name"], self.log())
                self.assertNotIn(caution, self.log())

    def test_done(self):
        self.first_break()
        first = self.shown()[0]["DUNST_SUMMARY"]
        self.choose("#Done")
        wait_until(lambda: "break done:" in self.log(), "the answer to reach the daemon")
        self.assertEqual(self.displayed(), 0)
        # A new interval (of 3 s) has begun, with the next stretch.
        self.assertNotEqual(self.status()["next_stretch"], first)
        following = wait_until(lambda: self.shown()[1:], "the next break", timeout=6)[0]
        self.assertNotEqual(following["DUNST_SUMMARY"], first)
        self.assertNotIn("(reminder 1)", self.log())

    def test_a_click_on_the_notification_answers_done(self):
        self.first_break()
        self.dunstctl("action", "0")  # what dunst's middle click (do_action) does
        wait_until(lambda: "break done:" in self.log(), "the click to answer the break")
        self.assertEqual(self.displayed(), 0)

    def test_snooze_brings_the_break_back(self):
        first = self.first_break()
        self.choose("#Snooze")
        wait_until(lambda: "break snoozed:" in self.log(), "the snooze")
        self.assertEqual(self.status()["state"], "snoozed")
        again = wait_until(lambda: self.shown()[1:], "the break back after the snooze", timeout=6)[0]
        self.assertEqual(again["DUNST_SUMMARY"], first["DUNST_SUMMARY"])
        self.assertEqual(self.status()["snoozes_left"], 2)

    def test_skip(self):
        self.first_break()
        self.choose("#Skip")
        wait_until(lambda: "break skipped:" in self.log(), "the skip")

    def test_closed_without_an_answer_is_dismissed(self):
        self.first_break()
        subprocess.run(["dunstctl", "close"], env=self.env, check=True)
        wait_until(lambda: "break dismissed:" in self.log(), "the dismissal")
        self.assertNotIn("(reminder 1)", self.log())

    def test_a_resend_replaces_and_an_unanswered_break_is_missed(self):
        first = self.first_break()
        wait_until(lambda: "(reminder 1)" in self.log(), "the re-send")
        time.sleep(0.3)
        self.assertEqual(self.displayed(), 1)  # replaced, not stacked
        self.assertTrue(all(s["DUNST_ID"] == first["DUNST_ID"] for s in self.shown()))
        wait_until(lambda: "break missed:" in self.log(), "the break to be missed", timeout=6)
        wait_until(lambda: self.displayed() == 0, "the missed break to be closed")

    def test_a_break_out_when_the_server_restarts_is_shown_again(self):
        self.first_break()
        self.stop("dunst")
        wait_until(lambda: "no notification server on the session bus" in self.log(), "the server to go")
        self.assertIn("Time to stretch:", self.read("postured.out"))  # the console meanwhile
        self.start_dunst()
        wait_until(lambda: self.displayed() == 1, "the break shown again")
        self.assertEqual(self.log().count("showing breaks through the notification server dunst"), 2)

    def test_a_break_out_across_a_restart_is_one_notification_that_the_new_daemon_answers(self):
        self.write("config.toml", CONFIG.replace('renotify_after = "2s"', 'renotify_after = "1h"'))
        self.first_break()
        self.stop("postured")  # a restart, an upgrade: the notification stays
        self.assertEqual(self.displayed(), 1)
        self.start_postured()
        wait_until(lambda: "break: " in self.log(), "the break out again")
        time.sleep(0.5)
        self.assertEqual(self.displayed(), 1)  # the same notification, replaced, not a second
        self.dunstctl("action", "0")  # a click on it
        wait_until(lambda: "break done:" in self.log(), "the new daemon to take the answer")
        self.assertEqual(self.displayed(), 0)

    def test_a_notification_left_by_an_earlier_run_goes_when_no_break_is_out(self):
        self.write("config.toml", CONFIG.replace('renotify_after = "2s"', 'renotify_after = "1h"'))
        self.first_break()
        self.stop("postured")
        shutil.rmtree(os.path.join(self.work, "state"))  # what it had counted is gone: no break is out
        self.start_postured()
        wait_until(lambda: self.displayed() == 0, "the old notification closed")
        self.assertNotIn("break: ", self.log())

    def test_no_server_at_start(self):
        self.start_postured()
        wait_until(lambda: "no notification server on the session bus" in self.log(), "one clear warning")
        wait_until(lambda: "Time to stretch:" in self.read("postured.out"), "the break on the console")
        self.start_dunst()
        wait_until(lambda: self.displayed() == 1, "the break in the server once it is there")
        self.assertEqual(self.log().count("no notification server"), 1)

    def dunstctl(self, *args):
        return subprocess.run(["dunstctl", *args], env=self.env, check=True, capture_output=True,
                              text=True).stdout.strip()

    def test_a_break_waits_while_dunst_is_paused_and_comes_when_it_resumes(self):
        self.start_dunst()
        self.dunstctl("set-paused", "true")
        self.start_postured()
        wait_until(lambda: self.status().get("state") == "held", "the break held", timeout=6)
        follower = subprocess.Popen([POSTURECTL, "status", "--follow", "--json"], stdout=subprocess.PIPE, text=True,
                                    env=self.env)
        self.addCleanup(follower.wait)
        self.addCleanup(follower.kill)
        held = json.loads(harness.read_line(follower))
        self.assertEqual((held["class"], held["text"]), ("held", "held"))
        self.assertIn("do-not-disturb (dunst)", held["tooltip"])
        self.assertEqual(self.status()["held_by"], "do-not-disturb (dunst)")
        out = subprocess.run([POSTURECTL, "status"], env=self.env, capture_output=True, text=True).stdout
        self.assertRegex(out, r"^Break held: .* · do-not-disturb \(dunst\), (29|30)m at most")
        time.sleep(5)  # longer than a re-send and a miss would take
        self.assertNotIn("break: ", self.log())
        self.assertEqual(self.dunstctl("count", "waiting"), "0")  # nothing queued behind the pause
        self.dunstctl("set-paused", "false")
        wait_until(lambda: self.displayed() == 1, "the break shown once the pause ends")
        wait_until(lambda: len(self.shown()) == 1, "dunst's script to log it")  # it runs after the display
        self.assertEqual(self.status()["state"], "due")
        self.assertEqual(json.loads(harness.read_line(follower))["class"], "due")

    def test_a_break_held_by_dunst_goes_out_after_dnd_max_delay_and_is_not_missed(self):
        self.write("config.toml", CONFIG + '[activity]\ndnd_max_delay = "3s"\n')
        self.start_dunst()
        self.dunstctl("set-paused", "true")
        self.start_postured()
        wait_until(lambda: self.status().get("state") == "held", "the break held", timeout=6)
        wait_until(lambda: "break: " in self.log(), "the break sent after 3 s", timeout=6)
        wait_until(lambda: self.dunstctl("count", "waiting") == "1", "dunst to queue it")
        time.sleep(4)  # past a re-send and a miss: neither while dunst is paused
        self.assertNotIn("(reminder 1)", self.log())
        self.assertNotIn("break missed", self.log())
        self.assertEqual(self.status()["state"], "due")
        self.dunstctl("set-paused", "false")
        wait_until(lambda: "(reminder 1)" in self.log(), "the re-send once the pause ends")
        wait_until(lambda: self.displayed() == 1, "one notification, not two")
        time.sleep(0.3)
        self.assertEqual(self.displayed(), 1)

    def start_xfce4_notifyd(self):
        self.env["XDG_CONFIG_HOME"] = self.path("config")  # where xfconfd keeps its settings
        self.start("xfconfd", ["/usr/lib/x86_64-linux-gnu/xfce4/xfconf/xfconfd"])
        self.start("xfce4-notifyd", ["/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd"])
        for name in ("org.xfce.Xfconf", "org.freedesktop.Notifications"):
            subprocess.run(["gdbus", "wait", "--session", "--timeout", "10", name], check=True, env=self.env)

    def xfce_notifications(self):
        """The notification windows xfce4-notifyd draws."""
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", "xfce4-notifyd"],
                               capture_output=True, text=True, env=self.env).stdout
        return len(found.split())

    def test_a_break_out_across_a_restart_is_one_xfce_notification(self):
        need("xdotool")
        self.write("config.toml", CONFIG.replace('renotify_after = "2s"', 'renotify_after = "1h"'))
        self.start_xfce4_notifyd()
        self.start_postured()
        wait_until(lambda: self.xfce_notifications() == 1, "the break drawn, with its buttons")
        self.stop("postured")
        self.start_postured()
        wait_until(lambda: "break: " in self.log(), "the break out again")
        time.sleep(1)
        self.assertEqual(self.xfce_notifications(), 1)

    def test_the_break_as_xfce4_notifyd_draws_it(self):
        """A screenshot of the window, which POSTURED_SCREENSHOTS=docs keeps for the README."""
        need("xdotool", "dbus-monitor")
        self.write("config.toml", CONFIG.replace('renotify_after = "2s"', 'renotify_after = "1h"')
                   .replace('duration = "3s"', 'duration = "10m"'))
        icons = self.path("data/icons/hicolor/scalable/apps")
        os.makedirs(icons)
        shutil.copy(os.path.join(os.path.dirname(__file__), "..", "..", "data", "postured.svg"), icons)
        self.env["XDG_DATA_DIRS"] = self.path("data") + ":/usr/share"
        self.start_xfce4_notifyd()
        monitor = self.start("dbus-monitor", ["dbus-monitor", "--session",
                                              "interface=org.freedesktop.Notifications,member=Notify"])
        time.sleep(0.5)
        self.start_postured()
        wait_until(lambda: self.xfce_notifications() == 1, "the break drawn")
        time.sleep(1)  # past its fade-in
        # xfce4-notifyd draws the default action as a button: it is the only Done.
        call = self.read("dbus-monitor.out").split("member=Notify", 1)[1]
        actions = re.findall(r'string "([^"]*)"', call.split("array [", 1)[1].split("]", 1)[0])
        self.assertEqual(actions, ["default", "Done", "snooze", "Snooze 10 min", "skip", "Skip"])
        monitor.terminate()
        path = self.screenshot("xfce4-notifyd", "break-notification.png")
        self.assertIsNotNone(path, "no window of xfce4-notifyd")
        self.assertGreater(pictures.colours(path), 2, "the window is blank")
        # The stretch's picture in place of the icon, its movement drawn in amber.
        image = re.search(r'string "image-path"\s+variant\s+string "([^"]+)"', call)
        self.assertIsNotNone(image, call)
        self.assertRegex(image[1], "^" + re.escape(PICTURES) + r"/[a-z-]+\.png$")
        self.assertGreater(pictures.amber(path), 5, "no picture in the break")
        if os.environ.get("POSTURED_SCREENSHOTS"):
            shutil.copy(path, os.environ["POSTURED_SCREENSHOTS"])

    def screenshot(self, window_class, name):
        """A PNG of the notification server's window; None while it shows none."""
        windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", window_class],
                                 capture_output=True, text=True, env=self.env).stdout.split()
        if len(windows) != 1:
            return None
        [window] = windows
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], capture_output=True,
                                  text=True, env=self.env).stdout
        where = dict(line.split("=") for line in geometry.split())
        box = [int(where[k]) for k in ("X", "Y", "WIDTH", "HEIGHT")]
        path = self.path(name)
        grab = subprocess.run(["/usr/bin/python3", "-c", GRAB, path, *map(str, box)], capture_output=True, text=True,
                              env=self.env)
        self.assertEqual(grab.returncode, 0, grab.stderr)
        return path

    def test_dunst_shows_the_stretchs_picture_and_the_icon_for_one_without(self):
        need("xdotool")
        self.write("config.toml", CONFIG.replace('interval = "3s"', 'interval = "1h"') + pictures.OWN_STRETCH)
        self.first_break_asked("cows-head")
        # dunst draws it at its max_icon_size, 32 px unless the user sets more.
        wait_until(lambda: (shot := self.screenshot("Dunst", "dunst-picture.png")) and pictures.amber(shot) > 3,
                   "the picture drawn")
        subprocess.run(["dunstctl", "close-all"], env=self.env, check=True)
        self.first_break_asked("neck-roll")
        time.sleep(0.5)  # drawn
        icon = self.screenshot("Dunst", "dunst-icon.png")
        self.assertGreater(pictures.colours(icon), 2)
        self.assertEqual(pictures.amber(icon), 0)

    def first_break_asked(self, stretch):
        """Asks for a break of this stretch; returns what dunst showed of it."""
        if "dunst" not in self.processes:
            self.start_dunst()
            self.start_postured()
            wait_until(lambda: self.status(), "the daemon listening")
        before = len(self.shown())
        subprocess.run([POSTURECTL, "break", "--stretch", stretch], env=self.env, check=True, capture_output=True)
        return wait_until(lambda: self.shown()[before:], f"the break of {stretch} in dunst")[0]

    def test_stretches_show_open_hands_the_picture_to_the_desktops_viewer(self):
        # The real xdg-open, with a viewer of the user's choosing: one that notes what it was given.
        self.write("viewer.sh", f"#!/bin/sh\necho \"$1\" > {self.path('viewed')}\n", executable=True)
        applications = self.path("data/applications")
        os.makedirs(applications)
        with open(os.path.join(applications, "viewer.desktop"), "w") as f:
            f.write(f"[Desktop Entry]\nType=Application\nName=Viewer\nExec={self.path('viewer.sh')} %f\n"
                    "MimeType=image/png;\n")
        os.makedirs(self.path("config"))
        self.write("config/mimeapps.list", "[Default Applications]\nimage/png=viewer.desktop\n")
        self.env.update(XDG_DATA_HOME=self.path("data"), XDG_CONFIG_HOME=self.path("config"))
        self.start_postured()
        wait_until(lambda: self.status(), "the daemon listening")
        opened = subprocess.run([POSTURECTL, "stretches", "show", "chest-opener", "--open"], env=self.env,
                                capture_output=True, text=True)
        self.assertEqual(opened.returncode, 0, opened.stderr)
        self.assertEqual(wait_until(lambda: self.read("viewed"), "the viewer started").strip(),
                         f"{PICTURES}/chest-opener.png")

    def test_xfce_do_not_disturb_holds_a_break(self):
        need("xfconf-query")
        self.start_xfce4_notifyd()
        xfconf = ["xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-n", "-t", "bool", "-s"]
        subprocess.run(xfconf + ["true"], env=self.env, check=True)  # the switch in the notifications panel
        self.start_postured()
        wait_until(lambda: self.status().get("state") == "held", "the break held", timeout=6)
        self.assertEqual(self.status()["held_by"], "do-not-disturb (Xfce)")
        self.assertIn("through the notification server Xfce Notify Daemon", self.log())
        subprocess.run(xfconf + ["false"], env=self.env, check=True)
        wait_until(lambda: self.status().get("state") == "due", "the break out once do-not-disturb ends")

    def test_kde_plasma_inhibited_holds_a_break(self):
        self.mock_server("actions body")
        mock = ["gdbus", "call", "--session", "-d", "org.freedesktop.Notifications", "-o",
                "/org/freedesktop/Notifications", "-m"]
        # Plasma's server has the property; python-dbusmock's template is given it.
        subprocess.run(mock + ["org.freedesktop.DBus.Mock.AddProperty", "org.freedesktop.Notifications",
                               "Inhibited", "<true>"], env=self.env, check=True, capture_output=True)
        self.start_postured()
        wait_until(lambda: self.status().get("state") == "held", "the break held", timeout=6)
        self.assertEqual(self.status()["held_by"], "do-not-disturb (KDE Plasma)")
        subprocess.run(mock + ["org.freedesktop.DBus.Mock.UpdateProperties", "org.freedesktop.Notifications",
                               "{'Inhibited': <false>}"], env=self.env, check=True, capture_output=True)
        self.notify_call()
        wait_until(lambda: self.status()["state"] == "due", "the break out")

    def mock_server(self, capabilities):
        mock = self.start("mock", ["/usr/bin/python3", "-m", "dbusmock", "--template", "notification_daemon",
                                   "-p", json.dumps({"capabilities": capabilities})])
        subprocess.run(["gdbus", "wait", "--session", "--timeout", "10", "org.freedesktop.Notifications"],
                       check=True, env=self.env)
        return mock

    def notify_call(self):
        """The arguments of the first Notify call the mock server received, as GVariant text."""
        def find():
            calls = subprocess.run(["gdbus", "call", "--session", "-d", "org.freedesktop.Notifications", "-o",
                                    "/org/freedesktop/Notifications", "-m", "org.freedesktop.DBus.Mock.GetCalls"],
                                   capture_output=True, text=True, env=self.env).stdout
            return re.search(r"'Notify', \[(.*?)\]\)", calls)
        return wait_until(find, "a Notify call").group(1)

    def test_urgency_sound_markup_and_labels_on_the_wire(self):
        self.write("config.toml", CONFIG.replace("renotify_limit = 1", 'renotify_limit = 1\nurgency = "critical"\nsound = true'))
        self.mock_server("actions body body-markup")
        self.start_postured()
        call = self.notify_call()
        self.assertIn("<'postured'>, <uint32 0>, <'postured'>", call)  # app name, a new id, the icon
        # The posture reset's own break does not repeat the reset line.
        reset = "" if "<'Posture reset'>" in call else r"\\nHourly reset: shoulder blades together 3–5s, 10 times\."
        self.assertRegex(call, r"<'<b>[^<]+</b>\\nStretch only as far as is comfortable\. [^<]+" + reset + "'>")
        if not reset:
            self.assertNotIn("Hourly reset", call)
        # A click on the notification itself is Done too.
        self.assertIn("<['default', 'Done', 'done', 'Done', 'snooze', 'Snooze 3s', 'skip', 'Skip']>", call)
        self.assertIn("'urgency': <byte 0x02>", call)
        self.assertIn("'sound-name': <'alarm-clock-elapsed'>", call)
        self.assertIn("'desktop-entry': <'postured'>", call)
        self.assertIn("'category': <'x-postured.break'>", call)
        self.assertTrue(call.endswith("<0>"), call)  # never expires by itself

    def test_a_server_without_actions_gets_the_terminal_hint(self):
        self.mock_server("body")
        self.start_postured()
        call = self.notify_call()
        self.assertIn("Answer in a terminal: posturectl done | snooze | skip'>", call)
        self.assertIn("<@as []>", call)  # no actions offered
        self.assertIn("which has no buttons: answers come from posturectl", self.log())
        self.assertEqual(subprocess.run([POSTURECTL, "done"], env=self.env, capture_output=True).returncode, 0)

    def test_a_hung_server_does_not_hold_up_the_daemon(self):
        self.write("config.toml", CONFIG.replace('interval = "3s"', 'interval = "1h"'))
        mock = self.mock_server("actions body")
        self.start_postured()
        wait_until(lambda: "showing breaks through the notification server" in self.log(), "the server found")
        mock.send_signal(signal.SIGSTOP)  # a server that takes calls and never answers them
        try:
            ctl = lambda *args: subprocess.run([POSTURECTL, *args], env=self.env, capture_output=True, text=True)
            self.assertEqual(ctl("break").returncode, 0)
            status = ctl("status")  # libnotify waits 25 s for the server; posturectl 10 s for the daemon
            self.assertEqual(status.returncode, 0, status.stderr)
            self.assertRegex(status.stdout, r"^Break due: ")
        finally:
            mock.send_signal(signal.SIGCONT)
        self.notify_call()  # the break the server was sent all along
        self.assertEqual(ctl("done").returncode, 0)


    def test_a_burst_of_requests_sends_the_server_the_latest_break_not_a_queue(self):
        # No re-show of the latest break while a loaded machine counts what was shown.
        self.write("config.toml", CONFIG.replace('interval = "3s"', 'interval = "1h"').replace(
            'renotify_after = "2s"', 'renotify_after = "5m"'))
        self.start_dunst()
        self.start_postured()
        wait_until(lambda: "showing breaks through the notification server dunst" in self.log(), "dunst found")
        self.processes["dunst"].send_signal(signal.SIGSTOP)  # slow: each call waits until it resumes
        try:
            ctl = lambda *args: subprocess.run([POSTURECTL, *args], env=self.env, capture_output=True, text=True)
            for _ in range(5):
                self.assertEqual(ctl("break").returncode, 0)
                self.assertEqual(ctl("skip").returncode, 0)
            self.assertEqual(ctl("break").returncode, 0)
        finally:
            self.processes["dunst"].send_signal(signal.SIGCONT)
        latest = self.status()["next_stretch"]
        wait_until(lambda: self.shown() and self.shown()[-1]["DUNST_SUMMARY"] == latest, "the latest break shown")
        # At most the one call under way when dunst stopped, and the latest; a queue would show six.
        self.assertLessEqual(len(self.shown()), 2, self.shown())
        self.assertEqual(self.displayed(), 1)

    def test_a_stop_does_not_wait_for_a_hung_server(self):
        self.write("config.toml", CONFIG.replace('interval = "3s"', 'interval = "1h"'))
        self.start_dunst()
        daemon = self.start_postured()
        wait_until(lambda: "showing breaks through the notification server dunst" in self.log(), "dunst found")
        self.processes["dunst"].send_signal(signal.SIGSTOP)  # the real server, hung
        try:
            ctl = lambda *args: subprocess.run([POSTURECTL, *args], env=self.env, capture_output=True, text=True)
            for _ in range(3):  # each a call that waits 25 s for the server
                self.assertEqual(ctl("break").returncode, 0)
                self.assertEqual(ctl("skip").returncode, 0)
            asked = time.monotonic()
            daemon.terminate()
            self.assertEqual(daemon.wait(20), 0)
            # systemd kills a stop after 90 s; the queue would take 150
            self.assertLess(time.monotonic() - asked, 10)
        finally:
            self.processes["dunst"].send_signal(signal.SIGCONT)
        self.assertIn("the notification server does not answer; stopping without it", self.log())
        with sqlite3.connect(os.path.join(self.env["XDG_STATE_HOME"], "postured", "state.db")) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM breaks WHERE outcome = 'skipped'").fetchone()[0], 3)


if __name__ == "__main__":
    harness.main()
