"""The parts of a desktop that the desktop tests start for themselves: private session and stand-in
system buses, python-dbusmock's logind (no real one can run here), an X server, Mutter, gnome-session
and GNOME Shell, sway (with wayvnc's pointer) and KWin run headless, KDE's PowerDevil, and PipeWire
with WirePlumber. Recipes: docs/desktops.md. Everything is torn down by the PIDs started."""
import contextlib
import json
import glob
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import unittest

from harness import read_line, wait_until

PYTHON = "/usr/bin/python3"  # the python3 on PATH may lack gi and dbusmock


# Second-scale settings: a pause in input is noticed after 1 s, and at 4 s it is a natural break.
# What a GNOME Wayland session gives the programs in it.
GNOME_SESSION = {"XDG_CURRENT_DESKTOP": "GNOME", "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0",
                 "XDG_SESSION_ID": "c1"}

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
smart_timing = "0s"
"""

# A short pause of up to 3 s stays well under the natural break, however late a loaded machine looks.
PAUSE_CONFIG = PRESENCE_CONFIG.replace('natural_break = "4s"', 'natural_break = "8s"')

# Away after 5 s without input, a break after 4 s of work, waiting up to 8 s for a pause of 3.
# smart_timing is long beside the pause watched for (3 s), so that a slow machine's typing, which
# ends late, still ends in a pause and not in the timeout.
SMART_CONFIG = PRESENCE_CONFIG.replace('interval = "10s"', 'interval = "4s"').replace(
    'natural_break = "4s"', 'natural_break = "10s"').replace('idle_after = "1s"', 'idle_after = "5s"').replace(
    'smart_timing = "0s"', 'smart_timing = "20s"')


def check_a_break_waits_for_a_pause(test, daemon, type_for):
    """Typing through the due moment holds the break; it comes in the first pause of 3 s."""
    type_for(5)  # through the due moment, at 4 s
    s = status(daemon)
    test.assertEqual((s["state"], s["held_by"]), ("held", "waiting for a pause in typing"))
    type_for(2)
    test.assertEqual(status(daemon)["state"], "held")
    test.assertNotIn("break: ", daemon.stderr())
    wait_until(lambda: "break: " in daemon.stderr(), "the break in the pause", timeout=15)
    # The daemon's own account: the pause watcher's 3 s, not a gap between keys or the timeout.
    test.assertRegex(break_line(daemon), r"\(in a pause in typing, \d+s after it was due\)$")
    s = status(daemon)
    test.assertEqual((s["state"], s["presence"]), ("due", "active"))  # before the user counts as away


def break_line(daemon):
    """The daemon's first "break: " line, which says why the break came when it did."""
    return daemon.stderr().split("break: ", 1)[1].splitlines()[0]


def type_until_held(test, daemon, type_for, held_by):
    """Types until the due break is held, by `held_by`, and not shown."""
    started = time.monotonic()
    while status(daemon)["state"] != "held":
        type_for(0.5)
        test.assertLess(time.monotonic() - started, 10, "the break was never held")
    test.assertEqual(status(daemon)["held_by"], held_by)
    test.assertNotIn("break: ", daemon.stderr())


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


class SessionTest(DaemonTest):
    """Tests that share one desktop: its work directory, a private session bus, a stand-in system bus with
    logind, and what the subclass's start_desktop adds. All of it stops with the class, or when it fails to
    start."""

    @classmethod
    def setUpClass(cls):
        need("dbus-daemon", "gdbus", PYTHON)
        cls.tmp = tempfile.TemporaryDirectory(prefix=f"postured-{cls.__name__}-")
        cls.processes = Processes(cls.tmp.name)
        try:
            # The desktop's home and runtime directory, which the services the bus starts (dconf's) use too.
            cls.home = os.path.join(cls.tmp.name, "home")
            cls.runtime = os.path.join(cls.tmp.name, "desktop-runtime")
            os.mkdir(cls.home, 0o700)
            os.mkdir(cls.runtime, 0o700)
            cls.session_bus = Bus(cls.processes, "session-bus", env=dict(
                os.environ, HOME=cls.home, XDG_CONFIG_HOME=os.path.join(cls.home, ".config"),
                XDG_RUNTIME_DIR=cls.runtime))
            cls.system_bus = Bus(cls.processes, "system-bus")
            cls.logind = Logind(cls.processes, cls.system_bus)
            cls.start_desktop()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def start_desktop(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        try:
            cls.processes.close()
        finally:
            cls.tmp.cleanup()


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

    def wait_for(self, process, predicate, what, timeout=30.0):
        """Waits for a program started here to be ready; tells its log if it died on the way."""
        def ready():
            if process.poll() is not None:
                with open(process.log_path) as log:
                    raise AssertionError(f"{what} exited with {process.returncode} before it was ready:\n{log.read()}")
            return predicate()
        wait_until(ready, what, timeout)

    def stop(self, process, sig=signal.SIGTERM):
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @contextlib.contextmanager
    def stopped_on_failure(self, process):
        """For what a case holds (an inhibitor): left running after a failure, it would spoil the class's next cases."""
        try:
            yield
        except BaseException:
            self.stop(process)
            raise

    def close(self):
        for process in reversed(self.started):
            self.stop(process)


class Bus:
    """A dbus-daemon of its own, with the session bus's rules, at a path in the work directory."""

    def __init__(self, processes, name, env=None):
        self.path = os.path.join(processes.work, name)
        self.address = "unix:path=" + self.path
        self.process = processes.start(name + "-dbus", ["dbus-daemon", "--config-file=/usr/share/dbus-1/session.conf",
                                                        "--address=" + self.address, "--nofork"], env=env)
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
        self.add_session(session)
        # The template lacks the manager's BlockInhibited, and its GetUser fails on the uid's type; real
        # logind has the one and answers the other.
        self.mock("/org/freedesktop/login1", "AddProperty", "org.freedesktop.login1.Manager", "BlockInhibited",
                  "<''>")
        self.mock("/org/freedesktop/login1", "AddMethod", "org.freedesktop.login1.Manager", "GetUser", "u", "o",
                  "ret = '/org/freedesktop/login1/user/%d' % args[0]")

    def add_session(self, session):
        self.mock("/org/freedesktop/login1", "AddSession", session, "seat0", str(os.getuid()), "user", "true")

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
        command = ["Xvfb", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-ac", "-noreset"]
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
    what, a, b = line.split()
    if what == "move":
        call(session, "org.gnome.Mutter.RemoteDesktop.Session", "NotifyPointerMotionRelative",
             GLib.Variant("(dd)", (float(a), float(b))))
    else:
        call(session, "org.gnome.Mutter.RemoteDesktop.Session", "NotifyPointerButton",
             GLib.Variant("(ib)", (int(a), b == "down")))
    print("done", flush=True)
"""


class RemotePointer:
    """Moves and clicks Mutter's pointer through its RemoteDesktop API, from one connection: the session
    dies with it (docs/desktops.md)."""

    def __init__(self, processes, bus):
        self.process = subprocess.Popen([PYTHON, "-c", REMOTE_POINTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus.address))
        processes.started.append(self.process)
        if read_line(self.process).strip() != "ready":
            raise AssertionError("Mutter's RemoteDesktop session did not start")

    def send(self, *words):
        self.process.stdin.write(" ".join(map(str, words)) + "\n")
        self.process.stdin.flush()
        if read_line(self.process).strip() != "done":
            raise AssertionError(f"Mutter's RemoteDesktop refused {words}")

    def input(self):
        self.send("move", 5, 5)

    def click(self):
        for state in ("down", "up"):
            self.send("button", 272, state)  # BTN_LEFT

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
        with self.processes.stopped_on_failure(process):
            wait_until(lambda: self.bus.gdbus("call", "-d", "org.gnome.SessionManager", "-o",
                                              "/org/gnome/SessionManager", "-m", "org.gnome.SessionManager.IsInhibited",
                                              "8") == "(true,)", "the idle inhibitor")
        return process


class GnomeShell:
    """GNOME Shell run headless: the real org.gnome.ScreenSaver and lock screen. It needs logind (the mock)
    with its session as XDG_SESSION_ID, a GDM for the lock screen (mocked), and gjs."""

    def __init__(self, processes, bus, system_bus, logind, runtime, home, env=None):
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
                        XDG_SESSION_ID=logind.session_path.rsplit("/", 1)[1], NO_AT_BRIDGE="1", **(env or {}))
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


class TestUser:
    """An unprivileged account the test creates, and removes once nothing of it runs: sway refuses to run as
    root."""

    def __init__(self):
        if os.geteuid() != 0:
            raise AssertionError("creating a test user needs root (CI runs as root)")
        need("useradd", "userdel", "setpriv")
        self.name = f"postured-w{os.getpid()}"
        subprocess.run(["useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        "--user-group", self.name], check=True)
        account = pwd.getpwnam(self.name)
        self.uid, self.gid = account.pw_uid, account.pw_gid

    def directory(self, path):
        os.mkdir(path, 0o700)
        os.chown(path, self.uid, self.gid)
        return path

    def command(self, env, *command):
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", "env", "-i",
                *(f"{k}={v}" for k, v in env.items()), *command]

    def remove(self):
        subprocess.run(["userdel", self.name], check=True)


class Sway:
    """sway 1.7 run headless with the pixman renderer, as the test user. Its Wayland socket is given to clients as
    an absolute path; input comes through the virtual keyboard (wtype) and sway's own seat command."""

    def __init__(self, processes, user):
        need("sway", "swaymsg", "wtype")
        self.processes, self.user = processes, user
        os.chmod(processes.work, 0o755)  # the config must be readable by the user
        self.runtime = user.directory(os.path.join(processes.work, "sway-runtime"))
        self.config = os.path.join(processes.work, "sway.conf")
        with open(self.config, "w") as f:
            f.write("output HEADLESS-1 resolution 640x480\nxwayland disable\n")
        self.display = os.path.join(self.runtime, "wayland-1")  # sway leaves wayland-0 alone
        self.start()

    def start(self):
        env = {"HOME": self.runtime, "XDG_RUNTIME_DIR": self.runtime, "PATH": "/usr/bin:/bin",
               "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"}
        self.process = self.processes.start("sway", self.user.command(env, "sway", "-c", self.config))
        wait_until(lambda: self.process.poll() is not None or self.ipc() and self.msg("-t", "get_version"),
                   "sway to answer")
        if self.process.poll() is not None:
            raise AssertionError(f"sway exited with {self.process.returncode}; see {self.process.log_path}")
        wait_until(lambda: os.path.exists(self.display), "sway's Wayland socket")

    def ipc(self):
        sockets = glob.glob(os.path.join(self.runtime, f"sway-ipc.*.{self.process.pid}.sock"))
        return sockets[0] if sockets else None

    def msg(self, *args, check=False):
        result = subprocess.run(["swaymsg", "-s", self.ipc(), *args], capture_output=True, text=True, timeout=30)
        if check and result.returncode != 0:
            raise AssertionError(f"swaymsg {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.returncode == 0

    def client_env(self):
        return dict(os.environ, WAYLAND_DISPLAY=self.display, XDG_RUNTIME_DIR=self.runtime)

    def inhibiting(self):
        """Whether sway holds idleness back for a window's inhibitor, as its tree says."""
        result = subprocess.run(["swaymsg", "-s", self.ipc(), "-r", "-t", "get_tree"], capture_output=True,
                                text=True, timeout=30)
        def held(node):
            return node.get("inhibit_idle") or any(held(n) for n in node.get("nodes", []) + node.get("floating_nodes", []))
        return result.returncode == 0 and held(json.loads(result.stdout))

    def type(self):
        """A keystroke from a virtual keyboard. The headless seat has no keyboard of its own, so each one also
        changes the seat's capabilities, which every client is told."""
        result = subprocess.run(["wtype", "-k", "Shift_L"], capture_output=True, text=True, timeout=30,
                                env=self.client_env())
        if result.returncode != 0:
            raise AssertionError(f"wtype: {result.stderr}")

    def move(self):
        """The pointer moved, as sway's own seat command does it."""
        self.msg("seat", "seat0", "cursor", "move", "1", "1", check=True)

    def kill(self):
        self.processes.stop(self.process, signal.SIGKILL)


class VncPointer:
    """A real pointer for sway, whose headless seat has none: wayvnc's virtual pointer, driven over RFB (RFC 6143)
    on a Unix socket. Only what a click needs of the protocol: the handshake with no authentication, then pointer
    events."""

    def __init__(self, processes, sway):
        need("wayvnc")
        path = os.path.join(sway.runtime, "vnc.sock")
        env = {"HOME": sway.runtime, "XDG_RUNTIME_DIR": sway.runtime, "PATH": "/usr/bin:/bin",
               "WAYLAND_DISPLAY": sway.display}
        process = processes.start("wayvnc", sway.user.command(env, "wayvnc", "--unix-socket", path))
        processes.wait_for(process, lambda: os.path.exists(path), "wayvnc")
        self.rfb = socket.socket(socket.AF_UNIX)
        self.rfb.connect(path)
        self.rfb.settimeout(10)
        version = self.receive(12)
        self.rfb.sendall(version)
        types = self.receive(self.receive(1)[0])
        if 1 not in types:
            raise AssertionError(f"wayvnc asks for authentication: security types {list(types)}")
        self.rfb.sendall(bytes([1]))
        if struct.unpack(">I", self.receive(4))[0] != 0:
            raise AssertionError("wayvnc refused the connection")
        self.rfb.sendall(bytes([1]))  # shared
        name_length = struct.unpack(">20xI", self.receive(24))[0]
        self.receive(name_length)

    def receive(self, size):
        data = b""
        while len(data) < size:
            chunk = self.rfb.recv(size - len(data))
            if not chunk:
                raise AssertionError("wayvnc closed the connection")
            data += chunk
        return data

    def click(self, x, y):
        for buttons in (0, 1, 0):  # moved there, the left button down, up
            self.rfb.sendall(struct.pack(">BBHH", 5, buttons, x, y))

    def close(self):
        self.rfb.close()


class KWin:
    """KDE Plasma's compositor, kwin_wayland, run with a virtual output. The installed binary carries a file
    capability this machine cannot grant, so a copy runs. It owns org.freedesktop.ScreenSaver (its screen locker
    is built in), which asks logind for the session `auto`."""

    def __init__(self, processes, bus, system_bus, logind, runtime, home):
        need("/usr/bin/kwin_wayland")
        self.processes, self.bus = processes, bus
        self.binary = os.path.join(processes.work, "kwin_wayland")
        shutil.copy("/usr/bin/kwin_wayland", self.binary)
        logind.add_session("auto")
        self.socket = "wayland-kw"
        self.display = os.path.join(runtime, self.socket)
        self.env = dict(os.environ, XDG_RUNTIME_DIR=runtime, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                        DBUS_SESSION_BUS_ADDRESS=bus.address, DBUS_SYSTEM_BUS_ADDRESS=system_bus.address,
                        XDG_SESSION_ID="auto", KWIN_WAYLAND_NO_PERMISSION_CHECKS="1", NO_AT_BRIDGE="1")
        self.process = processes.start("kwin", [self.binary, "--virtual", "--socket", self.socket, "--width", "640",
                                                "--height", "480"], env=self.env)
        bus.wait_for("org.freedesktop.ScreenSaver", timeout=30)
        wait_until(lambda: os.path.exists(self.display), "KWin's Wayland socket")

    def screensaver(self, method, *args):
        return self.bus.gdbus("call", "-d", "org.freedesktop.ScreenSaver", "-o", "/org/freedesktop/ScreenSaver",
                              "-m", "org.freedesktop.ScreenSaver." + method, *args)

    def input(self):
        """User activity, as KWin's own D-Bus method makes it (no virtual keyboard on KWin)."""
        self.screensaver("SimulateUserActivity")


SCREENSAVER_INHIBITOR = """
import sys
from gi.repository import Gio, GLib
bus = Gio.bus_get_sync(Gio.BusType.SESSION)
bus.call_sync("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "Inhibit",
              GLib.Variant("(ss)", ("test", "video call")), GLib.VariantType("(u)"), 0, -1, None)
print("inhibiting", flush=True)
sys.stdin.read()
"""


class PowerDevil:
    """KDE's power manager on KWin: where D-Bus idle inhibitors are seen on Plasma. It needs UPower (dbusmock's
    template) on the system bus."""

    BINARY = "/usr/lib/x86_64-linux-gnu/libexec/org_kde_powerdevil"

    def __init__(self, processes, bus, system_bus, kwin):
        need(self.BINARY)
        self.processes, self.bus = processes, bus
        processes.start("upower", [PYTHON, "-m", "dbusmock", "--system", "-t", "upower"],
                        env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=system_bus.address))
        system_bus.wait_for("org.freedesktop.UPower", system=True)
        processes.start("powerdevil", [self.BINARY],
                        env=dict(kwin.env, QT_QPA_PLATFORM="wayland", WAYLAND_DISPLAY=kwin.socket))
        bus.wait_for("org.kde.Solid.PowerManagement.PolicyAgent", timeout=30)

    def inhibit(self):
        """What a browser playing a video does: org.freedesktop.ScreenSaver.Inhibit, held while the returned
        process runs."""
        process = subprocess.Popen([PYTHON, "-c", SCREENSAVER_INHIBITOR], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True, env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.bus.address))
        self.processes.started.append(process)
        with self.processes.stopped_on_failure(process):
            if read_line(process).strip() != "inhibiting":
                raise AssertionError("org.freedesktop.ScreenSaver.Inhibit failed")
            wait_until(lambda: self.bus.gdbus("call", "-d", "org.kde.Solid.PowerManagement.PolicyAgent", "-o",
                                              "/org/kde/Solid/PowerManagement/PolicyAgent", "-m",
                                              "org.kde.Solid.PowerManagement.PolicyAgent.HasInhibition", "4")
                       == "(true,)", "PowerDevil to take the inhibitor (it waits 5 s)", timeout=15)
        return process


class PipeWire:
    """PipeWire and WirePlumber in a runtime directory given, with a virtual microphone that
    WirePlumber links capture streams to, so that they run as a call's do. Its own configuration and
    state directories: WirePlumber remembers where streams went."""

    FAKE_MICROPHONE = """context.objects = [ { factory = adapter args = { factory.name = support.null-audio-sink
  node.name = "fake-mic" node.description = "Fake Microphone" media.class = "Audio/Source/Virtual"
  audio.position = [ MONO ] monitor.channel-volumes = true object.linger = true } } ]
"""

    def __init__(self, processes, bus, runtime):
        need("pipewire", "wireplumber", "pw-cli", "pw-metadata", "pw-record", "gst-launch-1.0")
        self.processes = processes
        home = os.path.join(processes.work, "pipewire-home")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=runtime, XDG_CONFIG_HOME=os.path.join(home, "config"),
                        XDG_STATE_HOME=os.path.join(home, "state"), XDG_CACHE_HOME=os.path.join(home, "cache"),
                        DBUS_SESSION_BUS_ADDRESS=bus.address)
        conf_d = os.path.join(home, "config", "pipewire", "pipewire.conf.d")
        os.makedirs(conf_d)
        with open(os.path.join(conf_d, "50-fake-mic.conf"), "w") as f:
            f.write(self.FAKE_MICROPHONE)
        self.start()

    def start(self):
        self.pipewire = self.processes.start("pipewire", ["pipewire"], env=self.env)
        self.processes.wait_for(self.pipewire, lambda: self.run("pw-cli", "info", "0").returncode == 0, "pipewire")
        # WirePlumber has been seen to stall for 11 s at start: it is given a second chance.
        for attempt in range(2):
            self.wireplumber = self.processes.start("wireplumber", ["wireplumber"], env=self.env)
            try:
                self.processes.wait_for(self.wireplumber, lambda: "fake-mic" in self.run(
                    "pw-metadata", "-n", "default", "0", "default.audio.source").stdout, "wireplumber", timeout=15)
                return
            except AssertionError:
                self.processes.stop(self.wireplumber, signal.SIGKILL)
                if attempt:
                    raise

    def stop(self, sig=signal.SIGTERM):
        self.processes.stop(self.wireplumber, sig)
        self.processes.stop(self.pipewire, sig)

    def run(self, *command):
        return subprocess.run(command, capture_output=True, text=True, timeout=30, env=self.env)

    def record(self, *options):
        """A capture from the microphone, as a call makes: pw-record, into a file nobody reads."""
        path = tempfile.mktemp(suffix=".wav", dir=self.processes.work)
        return self.processes.start("pw-record", ["pw-record", *options, path], env=self.env)

    def capture_video(self, camera=False):
        """A shared screen, or a camera (a video source of a device, as PipeWire's V4L2 monitor makes one),
        and a stream that captures it, as a browser's would."""
        name = "fake-camera" if camera else "fake-screen"
        device = ",device.id=77" if camera else ""
        source = self.processes.start("gst-" + name, [
            "gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "!", "video/x-raw,width=64,height=48", "!",
            "pipewiresink", "mode=provide",
            f"stream-properties=props,media.class=Video/Source,node.name={name}{device}"], env=self.env)
        self.processes.wait_for(source, lambda: name in self.run("pw-cli", "ls", "Node").stdout, name)
        viewer = self.processes.start("gst-viewer", [
            "gst-launch-1.0", "-q", "pipewiresrc", f"target-object={name}", "client-name=fake-browser", "!",
            "video/x-raw", "!", "fakesink", "sync=false"], env=self.env)
        return source, viewer


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
