#!/usr/bin/python3
"""A break as GNOME Shell 43 shows it. The real shell, run headless on a private bus, is the
notification server. A test extension (tests/helpers/unsafe-mode@postured.test) lets the test read
the shell's own layout of the banner through org.gnome.Shell.Eval; clicks are real pointer clicks
through Mutter's RemoteDesktop API."""
import gettext
import html
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest

from gi.repository import Gio, GLib

import harness
import pictures
from desktop import GNOME_SESSION, GnomeShell, RemotePointer, SessionTest, history, need, status
from harness import Daemon, wait_until

harness.BUILD = os.path.abspath(sys.argv.pop(1))
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = "unsafe-mode@postured.test"
# Where the screenshot for the README goes, when asked for: POSTURED_SCREENSHOTS=docs.
SCREENSHOTS = os.environ.get("POSTURED_SCREENSHOTS")

# The banners are read for minutes with no input, which the daemon would rightly count as a natural
# break and close the banner being read: nothing here is about presence, so nothing watches it.
CONFIG = """
[schedule]
interval = "1h"
working_hours = "always"
[snooze]
duration = "10m"
[stretches]
positions = ["seated", "standing", "floor"]
[activity]
source = "none"
"""
CAUTION = "Stretch only as far as is comfortable."
RESET = "Hourly reset: shoulder blades together 3–5s, 10 times."
# Each shipped language, under its own locale.
LANGUAGES = [line.strip() for line in open(os.path.join(SOURCE, "po", "LINGUAS"))
             if line.strip() and not line.startswith("#")]
LOCALES = {"de": "de_DE", "es": "es_ES", "fr": "fr_FR", "it": "it_IT", "ja": "ja_JP", "nl": "nl_NL",
           "pl": "pl_PL", "pt_BR": "pt_BR", "ru": "ru_RU", "zh_CN": "zh_CN"}


class GnomeShellTest(SessionTest):
    still = False  # animations inhibited: a banner is in place as soon as it is there
    @classmethod
    def start_desktop(cls):
        need("gnome-shell", "gjs", "dconf", "fc-match")
        # The layout is measured in GNOME's own font; a fallback's wider letters would measure another desktop.
        font = subprocess.run(["fc-match", "-f", "%{family}", "Cantarell"], capture_output=True, text=True).stdout
        if font != "Cantarell":
            raise AssertionError(f"GNOME's font Cantarell is not installed (fonts-cantarell); fontconfig gives {font}")
        # Japanese and Chinese in the font a Debian desktop of those languages has, not in boxes.
        for lang in ("ja", "zh-cn"):
            font = subprocess.run(["fc-match", "-f", "%{family}", f":lang={lang}"], capture_output=True,
                                  text=True).stdout
            if "CJK" not in font:
                raise AssertionError(f"no CJK font for {lang} (fonts-noto-cjk); fontconfig gives {font}")
        extensions = os.path.join(cls.home, ".local", "share", "gnome-shell", "extensions")
        shutil.copytree(os.path.join(SOURCE, "tests", "helpers", EXTENSION), os.path.join(extensions, EXTENSION))
        subprocess.run(["dconf", "write", "/org/gnome/shell/enabled-extensions", f"['{EXTENSION}']"], check=True,
                       env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=cls.session_bus.address, HOME=cls.home))
        # The shell finds the project's desktop entry and icon, and runs the build's posturectl.
        data = os.path.join(cls.tmp.name, "data")
        os.makedirs(os.path.join(data, "applications"))
        shutil.copy(os.path.join(SOURCE, "data", "postured.desktop"), os.path.join(data, "applications"))
        icons = os.path.join(data, "icons", "hicolor", "scalable", "apps")
        os.makedirs(icons)
        shutil.copy(os.path.join(SOURCE, "data", "postured.svg"), icons)
        cls.shell = GnomeShell(cls.processes, cls.session_bus, cls.system_bus, cls.logind, cls.runtime, cls.home,
                               env={"XDG_DATA_DIRS": data + ":/usr/share",
                                    "PATH": harness.BUILD + ":" + os.environ["PATH"]})
        cls.bus = Gio.DBusConnection.new_for_address_sync(
            cls.session_bus.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        wait_until(lambda: cls.eval("global.context.unsafe_mode") is True, "the shell in unsafe mode", timeout=15)
        cls.pointer = RemotePointer(cls.processes, cls.session_bus)

    @classmethod
    def eval(cls, code):
        ok, result = cls.bus.call_sync("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell", "Eval",
                                       GLib.Variant("(s)", (code,)), GLib.VariantType("(bs)"), 0, 10000, None).unpack()
        if not ok:
            raise AssertionError(f"the shell could not evaluate {code}: {result}")
        return json.loads(result) if result else None

    def setUp(self):
        super().setUp()
        # The shell's own notices (a privileged user, unsafe mode) and earlier breaks go.
        self.eval("Main.panel.closeCalendar(); Main.messageTray.getSources().forEach(s => s.destroy())")
        self.move_to(600, 460)
        self.start_daemon()

    def start_daemon(self, config=CONFIG, language=None):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        # In the desktop's runtime directory, where the posturectl the shell starts looks.
        self.daemon = Daemon(work, config, runtime=self.runtime, env=self.daemon_env(language))
        wait_until(lambda: "through the notification server gnome-shell" in self.daemon.stderr(),
                   "the daemon to find GNOME Shell's notifications")

    def daemon_env(self, language=None):
        env = dict(GNOME_SESSION, DBUS_SESSION_BUS_ADDRESS=self.session_bus.address,
                   DBUS_SYSTEM_BUS_ADDRESS=self.system_bus.address)
        if language:
            env.update(LANG=LOCALES[language] + ".UTF-8", LANGUAGE=language)
        return env

    def scale(self):
        return self.eval("imports.gi.Clutter.Settings.get_default().font_dpi") / (96 * 1024)

    def ctl(self, *args):
        code, out, err = self.daemon.ctl(*args)
        self.assertEqual(code, 0, err)
        return out

    def move_to(self, x, y):
        for _ in range(20):
            px, py = self.eval("global.get_pointer().slice(0, 2)")
            if abs(px - x) <= 1 and abs(py - y) <= 1:
                return
            self.pointer.send("move", x - px, y - py)
            time.sleep(0.05)
        raise AssertionError(f"the pointer did not reach {x},{y}")

    def click(self, box, at=0.5):
        x, y, width, height = box
        self.move_to(int(x + width * at), int(y + height / 2))
        self.pointer.click()

    def box(self, actor):
        """Where the actor is on the screen, once it has been laid out."""
        where = f"let a = {actor}; [...a.get_transformed_position(), a.width, a.height].map(Math.round)"
        wait_until(lambda: None not in self.eval(where), f"{actor} laid out")
        return self.eval(where)

    def break_shown(self, stretch=None):
        """Asks for a break and waits for the shell's banner of it; returns its title."""
        # On the socket, as posturectl asks: the 396 banners' spawns of a sanitized posturectl
        # took minutes of the suite's two cores.
        reply = self.daemon.request("break", **({"stretch": stretch} if stretch else {}))
        self.assertIsNotNone(reply, self.daemon.stderr())
        self.assertTrue(reply["ok"], reply)
        name = reply["status"]["next_stretch"]
        wait_until(lambda: self.eval("Main.messageTray._banner?.titleLabel.text ?? null") == name,
                   f"the banner of {name}")
        if not self.still:
            time.sleep(0.3)  # past the banner's slide-in
        return name

    def hover_banner(self):
        """The pointer on the banner, which expands it and shows its buttons, as a user's does."""
        self.click_free = self.box("Main.messageTray._banner")
        x, y, width, height = self.click_free
        self.move_to(x + width // 3, y + 20)
        wait_until(lambda: self.eval("Main.messageTray._banner.expanded"), "the banner to expand")
        time.sleep(0.3)

    def outcome(self):
        wait_until(lambda: history(self.daemon), "the answer in the history")
        return history(self.daemon)[-1]

    def scale_text(self, factor):
        """GNOME's Large Text is a text scaling of 1.25: Mutter turns it into the fonts' DPI."""
        subprocess.run(["dconf", "write", "/org/gnome/desktop/interface/text-scaling-factor", repr(factor)],
                       check=True, env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.session_bus.address,
                                            HOME=self.home))
        wait_until(lambda: self.eval("imports.gi.Clutter.Settings.get_default().font_dpi") ==
                   round(96 * factor * 1024), f"text scaled by {factor}")

    def test_every_stretch_shows_its_picture_and_dose_first_and_fits_the_expanded_banner(self):
        self.pictures = {}
        stretches = self.check_every_banner()
        # Each stretch its own picture: no two image areas alike.
        self.assertEqual(len(set(self.pictures.values())), len(stretches))

    def test_every_stretch_fits_the_banner_in_every_language(self):
        """A translation that does not fit fails here, and is shortened."""
        self.pictures = None  # the same pictures as in English
        self.eval("imports.gi.St.Settings.get().inhibit_animations()")  # 360 banners, none sliding in
        self.still = True
        try:
            for language in LANGUAGES:
                self.daemon.stop()
                self.start_daemon(language=language)
                words = gettext.translation("postured", os.path.join(os.path.dirname(harness.BUILD), "share", "locale"),
                                            languages=[language])
                self.assertNotEqual(words.gettext(CAUTION), CAUTION, language)
                self.check_every_banner(language, words.gettext(CAUTION), words.gettext(RESET))
        finally:
            self.eval("imports.gi.St.Settings.get().uninhibit_animations()")
            self.still = False

    def check_every_banner(self, language=None, caution=CAUTION, reset=RESET):
        stretches = json.loads(self.ctl("--json", "stretches", "list"))["stretches"]
        self.assertEqual(len(stretches), 18)
        try:
            for factor in (1.0, 1.25):
                self.scale_text(factor)
                for stretch in stretches:
                    with self.subTest(language=language, stretch=stretch["id"], text_scaling=factor):
                        try:
                            self.check_the_banner_of(stretch, caution, reset)
                        finally:
                            self.daemon.request("done")
                            wait_until(lambda: self.eval("Main.messageTray._banner === null"),
                                       "the banner to close")
        finally:
            self.scale_text(1.0)
        return stretches

    def image_area(self, name):
        """A PNG of what the banner shows where the icon goes."""
        x, y, width, height = self.box("Main.messageTray._banner._iconBin")
        path = os.path.join(self.tmp.name, name)
        ok, _ = self.bus.call_sync("org.gnome.Shell.Screenshot", "/org/gnome/Shell/Screenshot",
                                   "org.gnome.Shell.Screenshot", "ScreenshotArea",
                                   GLib.Variant("(iiiibs)", (x, y, width, height, False, path)),
                                   GLib.VariantType("(bs)"), 0, 10000, None).unpack()
        self.assertTrue(ok)
        return path

    def test_a_stretch_without_a_picture_shows_the_icon(self):
        self.daemon.stop()
        self.start_daemon(CONFIG + pictures.OWN_STRETCH)
        self.break_shown("neck-roll")
        icon = self.image_area("icon.png")
        self.assertGreater(pictures.colours(icon), 2, "nothing where the icon goes")
        self.assertEqual(pictures.amber(icon), 0)
        self.ctl("done")
        wait_until(lambda: self.eval("Main.messageTray._banner === null"), "the banner to close")
        self.break_shown("seated-twist")
        self.assertGreater(pictures.amber(self.image_area("picture.png")), 5)

    def check_the_banner_of(self, stretch, caution, reset):
        self.break_shown(stretch["id"])
        if self.pictures is not None:
            # The stretch's picture where the icon goes; the banner draws it at 48 px.
            picture = self.image_area(f"{stretch['id']}.png")
            self.assertGreater(pictures.amber(picture), 5, "no picture in the banner")
            self.assertGreater(pictures.colours(picture), 10)
            if self.scale() == 1.0:
                self.pictures[stretch["id"]] = tuple(pictures.rgb(picture))
        sent = self.eval("Main.messageTray._banner.notification.bannerBodyText")
        lines = html.unescape(sent).split("\n")
        dose = lines[0]
        self.assertEqual(dose, f"<b>{stretch['dose']}</b>")
        dose = sent.split("\n")[0]
        self.assertEqual(lines[1], " ".join([caution] + stretch["steps"]))
        self.assertEqual(lines[2:], [] if stretch["id"] == "thoracic-extension" else [reset])
        # Collapsed, the banner shows one line of the body: it starts with the whole dose.
        collapsed = self.eval(
            f"let c = Main.messageTray._banner.bodyLabel.clutter_text; let l = c.get_layout().copy();"
            f"l.set_markup({json.dumps(dose)}, -1); l.set_width(-1); l.set_ellipsize(0);"
            f"[c.text, l.get_pixel_size()[0], c.width]")
        text, dose_width, line_width = collapsed
        self.assertTrue(text.startswith(stretch["dose"]), text)
        self.assertLessEqual(dose_width, line_width, "the dose is cut in the collapsed banner")
        # Expanded, it shows at most six lines: all of the body must be among them.
        self.eval("Main.messageTray._banner.expand(false)")
        time.sleep(0.2)
        needed, shown, text, line_count = self.eval(
            "let b = Main.messageTray._banner; let l = b._expandedLabel;"
            "[l.get_preferred_height(l.width)[1], b._bodyStack.height, l.clutter_text.text,"
            " l.clutter_text.get_layout().get_line_count()]")
        print(f"{stretch['id']}: {line_count} lines, {needed:.0f} of {shown:.0f} px", file=sys.stderr)
        self.assertLessEqual(needed, shown, "the body is cut")
        self.assertIn(caution, text)
        self.assertTrue(text.endswith(reset if stretch["id"] != "thoracic-extension" else stretch["steps"][-1]), text)

    def test_a_click_on_the_banner_answers_done_and_starts_nothing(self):
        self.break_shown("elbow-link")
        self.click(self.box("Main.messageTray._banner.titleLabel"), at=0.3)
        self.assertEqual(self.outcome(), "done")
        self.assertNotIn(status(self.daemon)["state"], ["due", "held"])
        self.assertEqual(self.started_by_the_shell(), [])

    def started_by_the_shell(self):
        """What the shell has started, beside the services the bus started for it."""
        time.sleep(1)
        children = subprocess.run(["pgrep", "-a", "-P", str(self.shell.process.pid)], capture_output=True,
                                  text=True).stdout.splitlines()
        # The test's own directory is named postured-…: a line that names a path in it is not one.
        log = self.shell_log().replace(self.tmp.name, "")
        return [c for c in children if "postured" in c or "posturectl" in c] + \
            [line for line in log.splitlines() if "postured" in line]

    def test_each_button_answers(self):
        for label, outcome in [("Done", "done"), ("Snooze 10 min", "snoozed"), ("Skip", "skipped")]:
            with self.subTest(button=label):
                self.move_to(600, 460)
                self.break_shown()
                self.hover_banner()
                labels = self.eval("Main.messageTray._banner._buttonBox.get_children().map(b => b.label)")
                self.assertEqual(labels, ["Done", "Snooze 10 min", "Skip"])
                self.click(self.box(f"Main.messageTray._banner._buttonBox.get_children()[{labels.index(label)}]"))
                wait_until(lambda: len(history(self.daemon)) and history(self.daemon)[-1] == outcome,
                           f"{outcome} in the history")
                if outcome == "snoozed":
                    self.assertEqual(status(self.daemon)["state"], "snoozed")
                    self.ctl("skip")

    def test_a_break_in_the_message_tray_is_answered_with_a_click(self):
        name = self.break_shown("chest-opener")
        # A banner of normal urgency goes to the tray a few seconds after the user is active.
        deadline = time.monotonic() + 30
        while self.eval("Main.messageTray._banner !== null"):
            self.assertLess(time.monotonic(), deadline, "the banner never went to the tray")
            self.pointer.input()
            time.sleep(0.5)
        self.eval("Main.panel.statusArea.dateMenu.menu.open(false)")
        find = (f"Main.panel.statusArea.dateMenu._messageList._notificationSection._messages"
                f".find(m => m.titleLabel.text == {json.dumps(name)})")
        wait_until(lambda: self.eval(f"{find}?.mapped ?? false"), "the break in the tray")
        self.assertTrue(self.eval(f"{find}.bodyLabel.clutter_text.text").startswith("Hold "))
        self.assertEqual(self.eval(f"{find}.notification.actions.map(a => a.label)"), ["Done", "Snooze 10 min", "Skip"])
        self.click(self.box(find), at=0.3)
        self.assertEqual(self.outcome(), "done")

    def test_the_desktop_entry_starts_no_daemon(self):
        self.eval("imports.gi.Shell.AppSystem.get_default().lookup_app('postured.desktop').activate()")
        wait_until(lambda: "Presence: " in self.shell_log(), "the entry's posturectl status in the shell's log")
        self.assertEqual(self.started_by_the_shell(), [])

    def shell_log(self):
        with open(self.shell.process.log_path, errors="replace") as f:
            return f.read()

    def test_a_screenshot_of_the_break(self):
        self.break_shown("elbow-link")
        self.hover_banner()
        x, y, width, height = self.box("Main.messageTray._banner")
        path = os.path.join(self.tmp.name, "break-notification-gnome.png")
        ok, _ = self.bus.call_sync("org.gnome.Shell.Screenshot", "/org/gnome/Shell/Screenshot",
                                   "org.gnome.Shell.Screenshot", "ScreenshotArea",
                                   GLib.Variant("(iiiibs)", (x - 8, y - 8, width + 16, height + 16, False, path)),
                                   GLib.VariantType("(bs)"), 0, 10000, None).unpack()
        self.assertTrue(ok)
        with open(path, "rb") as f:
            header = f.read(24)
        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(struct.unpack(">II", header[16:24]), (width + 16, height + 16))
        if SCREENSHOTS:
            shutil.copy(path, SCREENSHOTS)


if __name__ == "__main__":
    harness.main()
