"""What the integration tests share: a real postured with its own directories."""
import json
import os
import pwd
import re
import socket
import subprocess
import sys
import threading
import time
import unittest

BUILD = None  # the build directory, set by the test script

CONFIG = """
[schedule]
interval = "1h"
working_hours = "always"
[snooze]
limit = 2
"""


SESSION_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "XDG_SESSION_ID",
                     "DBUS_SYSTEM_BUS_ADDRESS", "INVOCATION_ID")


def unit_for_this_build():
    """The generated unit, running the programs of the build tree instead of the installed ones."""
    with open(os.path.join(os.path.dirname(os.path.abspath(BUILD)), "postured.service")) as f:
        text = f.read()
    installed = os.path.dirname(re.search(r"^ExecStart=(\S+)", text, re.M).group(1))
    return text.replace(installed + "/", os.path.abspath(BUILD) + "/")


def needs_root(test):
    """Marks a case that needs root (it switches users or mounts): it belongs to the system tier."""
    test.needs_root = True
    return test


def main():
    """Runs the file's cases; `--tier=session` only those that leave the host as it was, `--tier=system` only
    those that need root (tests/README.md)."""
    tier = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--tier=")), None)
    sys.argv = [a for a in sys.argv if not a.startswith("--tier=")]

    class TierLoader(unittest.TestLoader):
        def getTestCaseNames(self, case):
            names = super().getTestCaseNames(case)
            if tier is None:
                return names
            return [n for n in names if getattr(getattr(case, n), "needs_root", False) == (tier == "system")]

    class TimedResult(unittest.TextTestResult):
        """After the run, how long each case took, slowest first: where the suite's time goes."""

        def startTest(self, test):
            self.began = time.monotonic()
            super().startTest(test)

        def stopTest(self, test):
            super().stopTest(test)
            self.times = getattr(self, "times", []) + [(time.monotonic() - self.began, test.id())]

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self.write_daemon_stacks()

        def addError(self, test, err):
            super().addError(test, err)
            self.write_daemon_stacks()

        def write_daemon_stacks(self):
            try:
                self.stream.write(daemon_stacks())
            except Exception as e:  # a report that fails must not stop the run
                self.stream.write(f"--- no daemon stacks: {e!r}\n")

        def printErrors(self):
            super().printErrors()
            for seconds, name in sorted(getattr(self, "times", []), reverse=True):
                self.stream.writeln(f"{seconds:7.1f} s  {name.split('.', 1)[-1]}")

    unittest.main(module="__main__", testLoader=TierLoader(),
                  testRunner=unittest.TextTestRunner(resultclass=TimedResult, verbosity=2))


def daemon_stacks():
    """Where each postured this test started is, for a case that failed: a daemon that stopped answering
    says here what it waits for. Never itself a reason for the run to stop."""
    if BUILD is None:  # a test of the package, which starts no daemon of the build
        return ""
    program = os.path.realpath(os.path.join(BUILD, "postured"))
    parents = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parents[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass

    def ours(pid):
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    found = []
    for pid in filter(ours, parents):
        try:
            if os.path.realpath(f"/proc/{pid}/exe") != program:
                continue
            gdb = subprocess.run(["gdb", "-p", str(pid), "-batch", "-nx", "-ex", "thread apply all bt 30"],
                                 capture_output=True, text=True, timeout=60)
            frames = [line for line in gdb.stdout.splitlines() if line.startswith(("Thread ", "#"))]
            found.append(f"--- postured {pid}:\n" + "\n".join(frames or [gdb.stderr.strip()]))
        except (OSError, subprocess.SubprocessError) as e:
            found.append(f"--- postured {pid}: no stacks ({e})")
    return "\n".join(found) + "\n" if found else ""


def wait_until(predicate, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def read_line(process, timeout=30.0):
    """The next line a process prints; a process that prints nothing in time fails the test, never
    hangs it (it is killed, which ends the read)."""
    line = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        process.kill()
        reader.join()
        raise AssertionError(f"{' '.join(map(str, process.args))} printed no line in {timeout:g} s")
    return line[0]


class Daemon:
    """A postured with its own runtime directory and config."""

    def __init__(self, work, config=CONFIG, user=None, env=None, args=(), runtime=None):
        self.work = work
        self.runtime = runtime or os.path.join(work, "runtime")
        os.makedirs(self.runtime, mode=0o700, exist_ok=True)
        self.config = os.path.join(work, "config.toml")
        with open(self.config, "w") as f:
            f.write(config)
        if user:
            account = pwd.getpwnam(user)
            os.chown(self.runtime, account.pw_uid, account.pw_gid)
            os.chmod(self.config, 0o644)
        self.out = open(os.path.join(work, "out"), "w+")
        self.err = open(os.path.join(work, "err"), "w+")
        self.socket = os.path.join(self.runtime, "postured", "control.sock")
        self.database = os.path.join(work, "state", "postured", "state.db")
        # No desktop but the one a test gives it: the host's session must not leak in.
        self.env = {k: v for k, v in os.environ.items() if k not in SESSION_VARIABLES}
        self.env.update(XDG_RUNTIME_DIR=self.runtime, XDG_STATE_HOME=os.path.join(work, "state"),
                        DBUS_SYSTEM_BUS_ADDRESS="unix:path=" + os.path.join(work, "no-system-bus"))
        self.env.update(env or {})
        command = [os.path.join(BUILD, "postured"), "--config", self.config, *args]
        if user:  # setpriv execs it: SIGTERM reaches the daemon itself, as systemd sends it
            self.env["HOME"] = work
            command = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--init-groups"] + command
        self.process = subprocess.Popen(command, stdout=self.out, stderr=self.err, env=self.env)
        wait_until(lambda: self.listening() or self.process.poll() is not None, "the socket")
        if self.process.poll() is not None:  # a case that went on would wait for a daemon that is gone
            raise AssertionError(f"postured exited with {self.process.returncode} as it started:\n{self.stderr()}")

    def listening(self):
        # A connection, not the file: the file appears at bind(), and a stale one may linger.
        probe = socket.socket(socket.AF_UNIX)
        try:
            probe.connect(self.socket)
            return True
        except OSError:
            return False
        finally:
            probe.close()

    def stderr(self):
        with open(self.err.name, errors="replace") as f:
            return f.read()

    def stdout(self):
        with open(self.out.name, errors="replace") as f:
            return f.read()

    def open_fds(self):
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def settled_fds(self):
        """The fd count once it has held still for half a second (earlier clients closed)."""
        last, still_since = self.open_fds(), time.monotonic()
        while time.monotonic() - still_since < 0.5:
            time.sleep(0.05)
            now = self.open_fds()
            if now != last:
                last, still_since = now, time.monotonic()
        return last

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.out.close()
        self.err.close()

    def request(self, command, **arguments):
        """One request on a connection of its own, as posturectl sends it: the reply, or None
        when the daemon was gone before it answered."""
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(20)
                s.connect(self.socket)
                s.sendall(json.dumps({"v": 1, "cmd": command, **arguments}).encode() + b"\n")
                reply = s.makefile("rb").readline()
        except OSError:
            return None
        return json.loads(reply) if reply.endswith(b"\n") else None

    def ctl(self, *args):
        """Runs posturectl against this daemon: (exit code, stdout, stderr)."""
        result = subprocess.run([os.path.join(BUILD, "posturectl"), *args], capture_output=True, text=True,
                                timeout=20, env=self.env)
        return result.returncode, result.stdout, result.stderr
