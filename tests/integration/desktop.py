"""The parts of a desktop that the presence tests start for themselves: private session and stand-in
system buses, python-dbusmock's logind (no real one can run here), an X server, Mutter, gnome-session
and GNOME Shell run headless. Recipes: DESKTOPS.md. Everything is torn down by the PIDs started."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import unittest

from harness import wait_until

PYTHON = "/usr/bin/python3"  # the python3 on PATH may lack gi and dbusmock


# Second-scale settings: a pause in input of 1 s is away, one of 4 s a natural break.
PRESENCE_CONFIG = """
[schedule]
interval = "10s"
natural_break = "4s"
return_grace = "2s"
working_hours = "always"
[notify]
renotify_after = "1h"
[activity]
idle_after = "1s"
"""


class DaemonTest(unittest.TestCase):
    """A test with one daemon at a time in self.daemon, whose log it shows."""

    def setUp(self):
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            try:
                self.daemon.stop()
            finally:
                print(f"--- the daemon's log:\n{self.daemon.stderr()}", file=sys.stderr)

    def presence(self):
        return status(self.daemon)["presence"]


def need(*tools):
    missing = [t for t in tools if not shutil.which(t) and not os.access(t, os.X_OK)]
    if missing:
        raise AssertionError(f"missing {', '.join(missing)} (.ci/install-deps --test installs them)")


class Processes:
    """Programs started by a test, stopped in the reverse order."""

    def __init__(self, work):
        self.work = work
        self.started = []

    def start(self, name, command, env=None, **options):
        with open(os.path.join(self.work, name + ".log"), "w") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, **options)
        process.log_path = log.name
        self.started.append(process)
        return process

    def stop(self, process, sig=signal.SIGTERM):
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def close(self):
        for process in reversed(self.started):
            self.stop(process)


class Bus:
    """A dbus-daemon of its own, with the session bus's rules, at a path in the work directory."""

    def __init__(self, processes, name):
        self.path = os.path.join(processes.work, name)
        self.address = "unix:path=" + self.path
        self.process = processes.start(name + "-dbus", ["dbus-daemon", "--config-file=/usr/share/dbus-1/session.conf",
                                                        "--address=" + self.address, "--nofork"])
        wait_until(lambda: os.path.exists(self.path), f"the {name} bus")

    def gdbus(self, *args, system=False, check=True):
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address, DBUS_SYSTEM_BUS_ADDRESS=self.address)
        result = subprocess.run(["gdbus", *args[:1], "--system" if system else "--session", *args[1:]],
                                capture_output=True, text=True, env=env, timeout=30)
        if check and result.returncode != 0:
            raise AssertionError(f"gdbus {' '.join(args)}: {result.stderr}")
        return result.stdout.strip()

    def owned(self, name, system=False):
        out = self.gdbus("call", "-d", "org.freedesktop.DBus", "-o", "/org/freedesktop/DBus",
                         "-m", "org.freedesktop.DBus.NameHasOwner", name, system=system)
        return out == "(true,)"

    def wait_for(self, name, system=False, timeout=15):
        wait_until(lambda: self.owned(name, system), f"{name} on the bus", timeout)


class Logind:
    """python-dbusmock's logind template on a stand-in system bus, with a session `c1` of this user."""

    def __init__(self, processes, bus, session="c1"):
        self.bus = bus
        self.session_path = "/org/freedesktop/login1/session/" + session
        self.process = processes.start("logind", [PYTHON, "-m", "dbusmock", "--system", "-t", "logind"],
                                       env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=bus.address))
        bus.wait_for("org.freedesktop.login1", system=True)
        self.mock("/org/freedesktop/login1", "AddSession", session, "seat0", str(os.getuid()), "user", "true")
        # The template lacks the manager's BlockInhibited, and its GetUser fails on the uid's type; real
        # logind has the one and answers the other.
        self.mock("/org/freedesktop/login1", "AddProperty", "org.freedesktop.login1.Manager", "BlockInhibited",
                  "<''>")
        self.mock("/org/freedesktop/login1", "AddMethod", "org.freedesktop.login1.Manager", "GetUser", "u", "o",
                  "ret = '/org/freedesktop/login1/user/%d' % args[0]")

    def call(self, path, method, *args):
        return self.bus.gdbus("call", "-d", "org.freedesktop.login1", "-o", path, "-m", method, *args, system=True)

    def mock(self, path, method, *args):
        return self.call(path, "org.freedesktop.DBus.Mock." + method, *args)

    def prepare_for_sleep(self, going):
        self.mock("/org/freedesktop/login1", "EmitSignal", "org.freedesktop.login1.Manager", "PrepareForSleep", "b",
                  f"[<{'true' if going else 'false'}>]")

    def lock(self):  # what `loginctl lock-session` does
        self.call(self.session_path, "org.freedesktop.login1.Session.Lock")

    def unlock(self):
        self.call(self.session_path, "org.freedesktop.login1.Session.Unlock")

    def set_locked_hint(self, locked):  # what a screen locker that tells logind does
        self.call(self.session_path, "org.freedesktop.login1.Session.SetLockedHint", "true" if locked else "false")

    def block_inhibited(self, what):
        self.mock("/org/freedesktop/login1", "UpdateProperties", "org.freedesktop.login1.Manager",
                  f"{{'BlockInhibited': <'{what}'>}}")

    def inhibitors(self):
        return self.call("/org/freedesktop/login1", "org.freedesktop.login1.Manager.ListInhibitors")


class Xvfb:
    def __init__(self, processes, display=None):
        self.processes = processes
        self.display = display
        self.start()

    def start(self):
        command = ["Xvfb", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-ac"]
        if self.display:
            self.process = self.processes.start("xvfb", ["Xvfb", self.display] + command[1:])
        else:
            read, write = os.pipe()
            self.process = self.processes.start("xvfb", command + ["-displayfd", str(write)], pass_fds=[write])
            os.close(write)
            with os.fdopen(read) as f:
                self.display = ":" + f.readline().strip()
        wait_until(lambda: self.run("xdpyinfo").returncode == 0, "the X server")

    def run(self, *command):
        return subprocess.run(command, capture_output=True, text=True, timeout=30,
                              env=dict(os.environ, DISPLAY=self.display))

    def input(self):
        """A keystroke: XTEST input, which sets the idle counter back to 0."""
        if self.run("xdotool", "key", "shift").returncode != 0:
            raise AssertionError("xdotool could not type")


class Mutter:
    """Mutter run headless on Wayland, the compositor of GNOME: its org.gnome.Mutter.IdleMonitor."""

    def __init__(self, processes, bus, runtime):
        self.processes, self.bus, self.runtime = processes, bus, runtime
        self.start()

    def start(self):
        env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime, DBUS_SESSION_BUS_ADDRESS=self.bus.address,
                   NO_AT_BRIDGE="1")
        self.process = self.processes.start("mutter", ["mutter", "--headless", "--wayland", "--no-x11",
                                                       "--virtual-monitor", "1280x800"], env=env)
        self.bus.wait_for("org.gnome.Mutter.RemoteDesktop")
        self.bus.wait_for("org.gnome.Mutter.IdleMonitor")
        self.pointer = RemotePointer(self.processes, self.bus)

    def idle_time(self):
        out = self.bus.gdbus("call", "-d", "org.gnome.Mutter.IdleMonitor", "-o", "/org/gnome/Mutter/IdleMonitor/Core",
                             "-m", "org.gnome.Mutter.IdleMonitor.GetIdletime")
        return int(out.strip("(),").split()[-1]) / 1000

    def kill(self):
        self.pointer.close()
        self.processes.stop(self.process, signal.SIGKILL)


REMOTE_POINTER = """
import sys
from gi.repository import Gio, GLib
bus = Gio.bus_get_sync(Gio.BusType.SESSION)
def call(path, iface, method, args=None, reply=None):
    return bus.call_sync("org.gnome.Mutter.RemoteDesktop", path, iface, method, args, reply, 0, -1, None)
session = call("/org/gnome/Mutter/RemoteDesktop", "org.gnome.Mutter.RemoteDesktop", "CreateSession", None,
               GLib.VariantType("(o)"))[0]
call(session, "org.gnome.Mutter.RemoteDesktop.Session", "Start")
print("ready", flush=True)
for line in sys.stdin:
    call(session, "org.gnome.Mutter.RemoteDesktop.Session", "NotifyPointerMotionRelative",
         GLib.Variant("(dd)", (5.0, 5.0)))
    print("moved", flush=True)
"""


class RemotePointer:
    """Moves Mutter's pointer through its RemoteDesktop API, from one connection: the session dies with
    it (DESKTOPS.md, Appendix)."""

    def __init__(self, processes, bus):
        self.process = subprocess.Popen([PYTHON, "-c", REMOTE_POINTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus.address))
        processes.started.append(self.process)
        if self.process.stdout.readline().strip() != "ready":
            raise AssertionError("Mutter's RemoteDesktop session did not start")

    def input(self):
        self.process.stdin.write("move\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip() != "moved":
            raise AssertionError("Mutter's RemoteDesktop did not move the pointer")

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(10)


class GnomeSession:
    """gnome-session run with an empty session: the real org.gnome.SessionManager and its inhibitors."""

    def __init__(self, processes, bus, system_bus, runtime, config_home):
        self.processes, self.bus = processes, bus
        sessions = os.path.join(config_home, "gnome-session", "sessions")
        os.makedirs(sessions, exist_ok=True)
        with open(os.path.join(sessions, "ptest.session"), "w") as f:
            f.write("[GNOME Session]\nName=ptest\nRequiredComponents=\n")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=runtime, XDG_CONFIG_HOME=config_home,
                        DBUS_SESSION_BUS_ADDRESS=bus.address, DBUS_SYSTEM_BUS_ADDRESS=system_bus.address)
        processes.start("gnome-session", ["/usr/libexec/gnome-session-binary", "--builtin", "--session=ptest",
                                          "--disable-acceleration-check", "-a", os.path.join(config_home, "none")],
                        env=self.env)
        bus.wait_for("org.gnome.SessionManager")

    def inhibit_idle(self, reason="video call"):
        """A real idle inhibitor, held while the returned process runs."""
        process = self.processes.start("inhibitor", ["gnome-session-inhibit", "--inhibit", "idle", "--reason", reason,
                                                     "--app-id", "test", "sleep", "600"], env=self.env)
        wait_until(lambda: self.bus.gdbus("call", "-d", "org.gnome.SessionManager", "-o", "/org/gnome/SessionManager",
                                          "-m", "org.gnome.SessionManager.IsInhibited", "8") == "(true,)",
                   "the idle inhibitor")
        return process


class GnomeShell:
    """GNOME Shell run headless: the real org.gnome.ScreenSaver and lock screen. It needs logind (the mock)
    with its session as XDG_SESSION_ID, a GDM for the lock screen (mocked), and gjs."""

    def __init__(self, processes, bus, system_bus, logind, runtime, home):
        self.processes, self.bus = processes, bus
        processes.start("gdm", [PYTHON, "-m", "dbusmock", "--system", "org.gnome.DisplayManager",
                                "/org/gnome/DisplayManager/Manager", "org.gnome.DisplayManager.Manager"],
                        env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=system_bus.address))
        system_bus.wait_for("org.gnome.DisplayManager", system=True)
        system_bus.gdbus("call", "-d", "org.gnome.DisplayManager", "-o", "/org/gnome/DisplayManager/Manager", "-m",
                         "org.freedesktop.DBus.Mock.AddProperty", "org.gnome.DisplayManager.Manager", "Version",
                         "<'43.0'>", system=True)
        self.env = dict(os.environ, XDG_RUNTIME_DIR=runtime, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                        DBUS_SESSION_BUS_ADDRESS=bus.address, DBUS_SYSTEM_BUS_ADDRESS=system_bus.address,
                        XDG_SESSION_ID=logind.session_path.rsplit("/", 1)[1], NO_AT_BRIDGE="1")
        # At start-up GNOME Shell 43 spawns ibus-daemon with a JavaScript child_setup, which deadlocks the
        # forked child, and the shell waiting on it, when another thread held GType's lock at the fork: on a
        # busy machine, one start in a few. A shell that does not come up is started again.
        for attempt in range(3):
            if self.start():
                return
        raise AssertionError("GNOME Shell did not come up in three starts")

    def start(self):
        # A small screen: llvmpipe draws the shell's animations on the CPU that the other tests share.
        self.process = self.processes.start("gnome-shell", ["gnome-shell", "--headless", "--wayland", "--no-x11",
                                                            "--virtual-monitor", "640x480"], env=self.env)
        try:
            self.bus.wait_for("org.gnome.Shell.ScreenShield", timeout=30)
            # Past its start-up, when it answers at once.
            wait_until(lambda: subprocess.run(["gdbus", "call", "--session", "-t", "1", "-d",
                                               "org.gnome.Mutter.IdleMonitor", "-o",
                                               "/org/gnome/Mutter/IdleMonitor/Core", "-m",
                                               "org.gnome.Mutter.IdleMonitor.GetIdletime"], capture_output=True,
                                              env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.bus.address)
                                              ).returncode == 0, "GNOME Shell to answer", timeout=15)
            return True
        except AssertionError:
            subprocess.run(["pkill", "-KILL", "-P", str(self.process.pid)])
            self.processes.stop(self.process, signal.SIGKILL)
            wait_until(lambda: not self.bus.owned("org.gnome.Mutter.IdleMonitor"), "the stuck shell gone")
            return False

    def screensaver(self, method, *args):
        return self.bus.gdbus("call", "-d", "org.gnome.ScreenSaver", "-o", "/org/gnome/ScreenSaver",
                              "-m", "org.gnome.ScreenSaver." + method, *args)


def history(daemon):
    """The outcomes in the daemon's history, oldest first."""
    with sqlite3.connect(f"file:{daemon.database}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT outcome FROM breaks ORDER BY id")]


def saved_at(daemon):
    """When the daemon last saved its state, in seconds."""
    with sqlite3.connect(f"file:{daemon.database}?mode=ro", uri=True) as db:
        return json.loads(db.execute("SELECT value FROM state WHERE key = 'scheduler'").fetchone()[0])["saved_at"]


def status(daemon):
    code, out, err = daemon.ctl("--json", "status")
    if code != 0:
        raise AssertionError(f"posturectl status: {err}")
    return json.loads(out)["status"]
