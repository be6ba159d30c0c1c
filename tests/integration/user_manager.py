"""A real `systemd --user` manager, with a journald, for a throwaway user of its own, so that
managers can run side by side.

PID 1 here is not systemd, so the test gives the manager what a systemd PID 1 would have given it
(tests/README.md): a cgroup of its own in each hierarchy, and a /run of its own, private to
a mount namespace, with /run/systemd/system in it and a journald listening there. Needs root."""
import json
import os
import pwd
import shutil
import subprocess

from harness import wait_until

TOOLS = ["unshare", "nsenter", "setpriv", "useradd", "userdel", "systemctl", "journalctl", "dbus-daemon", "gdbus"]
PROGRAMS = ["/lib/systemd/systemd", "/lib/systemd/systemd-journald"]


def sanitizer_options():
    """A sanitized build's options, for the programs run under the manager. Leak checking stops the
    process with ptrace, which the unit's system call filter refuses: there it is off."""
    options = [f"{name}={os.environ[name]}" for name in ("UBSAN_OPTIONS",) if name in os.environ]
    if "ASAN_OPTIONS" in os.environ:
        options.append(f"ASAN_OPTIONS={os.environ['ASAN_OPTIONS']}:detect_leaks=0")
    return options


def cgroup_hierarchies():
    """Where a manager needs a cgroup: the unified hierarchy, and the named systemd one of a
    hybrid layout."""
    unified = "/sys/fs/cgroup/unified" if os.path.isdir("/sys/fs/cgroup/unified") else "/sys/fs/cgroup"
    return [unified] + [h for h in ["/sys/fs/cgroup/systemd"] if os.path.isdir(h)]


class UserManager:
    def __init__(self, work, system_places=False):
        """Its postured reads no config from the system's XDG places (the package test installs one and
        edits it meanwhile), unless `system_places`."""
        if os.geteuid() != 0:
            raise AssertionError("a systemd --user manager for a test user needs root (CI runs as root)")
        missing = [t for t in TOOLS if not shutil.which(t)] + [p for p in PROGRAMS if not os.access(p, os.X_OK)]
        if missing:
            raise AssertionError(f"missing {', '.join(missing)} (.ci/install-deps --test installs them)")
        self.work = work
        os.chmod(work, 0o755)
        self.home = os.path.join(work, "home")
        self.runtime = os.path.join(work, "runtime")
        self.user = f"postured-s{os.getpid()}"
        subprocess.run(["useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        "--user-group", self.user], check=True)
        account = pwd.getpwnam(self.user)
        for path in (self.home, self.runtime):
            os.mkdir(path, 0o700)
            os.chown(path, account.pw_uid, account.pw_gid)
        self.as_user = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--init-groups",
                        "env", "-i", f"HOME={self.home}", f"XDG_RUNTIME_DIR={self.runtime}", "PATH=/usr/bin:/bin",
                        *sanitizer_options()]
        self.processes = []
        if not system_places:
            self.write(".config/systemd/user/postured.service.d/no-system-places.conf",
                       f"[Service]\nEnvironment=XDG_CONFIG_DIRS={work}/no-etc-xdg\n")
        self.cgroups = [os.path.join(h, f"postured-test-{os.getpid()}") for h in cgroup_hierarchies()]
        try:
            self._start(account)
        except BaseException:
            self.close()
            raise

    def _start(self, account):
        self.journald = self._spawn("journald", [
            "unshare", "--mount", "--propagation", "private", "sh", "-c",
            "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/systemd/system && "
            "exec /lib/systemd/systemd-journald"])
        self.namespace = f"/proc/{self.journald.pid}/root"
        wait_until(lambda: os.path.exists(self.namespace + "/run/systemd/journal/stdout"), "journald")

        for cgroup in self.cgroups:
            os.mkdir(cgroup)
            for name in [cgroup] + [os.path.join(cgroup, f) for f in os.listdir(cgroup)]:
                os.chown(name, account.pw_uid, account.pw_gid)
        join = " && ".join(f"echo $$ > {c}/cgroup.procs" for c in self.cgroups)
        self.manager = self._spawn("manager", [
            "sh", "-c", join + ' && exec "$@"', "sh", "nsenter", "--mount", f"--target={self.journald.pid}",
            *self.as_user, "/lib/systemd/systemd", "--user"])
        wait_until(lambda: os.path.exists(os.path.join(self.runtime, "systemd", "private"))
                   or self.manager.poll() is not None, "systemd --user")
        if self.manager.poll() is not None:
            raise AssertionError(f"systemd --user exited with {self.manager.returncode}: {self.log('manager')}")

    def _spawn(self, name, command):
        with open(os.path.join(self.work, name + ".log"), "w") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def log(self, name):
        with open(os.path.join(self.work, name + ".log")) as f:
            return f.read()

    def run(self, *command, timeout=30):
        """Runs a command as the user, in the user's session: (exit code, stdout, stderr)."""
        result = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=timeout)
        return result.returncode, result.stdout, result.stderr

    def spawn_as_user(self, name, *command):
        return self._spawn(name, [*self.as_user, *command])

    def systemctl(self, *args, timeout=30):
        return self.run("systemctl", "--user", *args, timeout=timeout)

    def show(self, unit, *properties, timeout=30):
        code, out, err = self.systemctl("show", unit, *(f"--property={p}" for p in properties), timeout=timeout)
        if code != 0:
            raise AssertionError(f"systemctl show: {err}")
        return dict(line.split("=", 1) for line in out.splitlines())

    def wait_for_restart(self, unit, old_pid, timeout=20):
        """Waits until systemd has started the unit again, in place of the process old_pid."""
        def restarted():
            service = self.show(unit, "MainPID", "SubState", timeout=timeout)
            return service["MainPID"] not in ("0", old_pid) and service["SubState"] == "running"
        wait_until(restarted, f"systemd to start {unit} again", timeout)

    def write(self, relative, text):
        """Writes a file under the user's home, as the user's."""
        path = os.path.join(self.home, relative)
        account = pwd.getpwnam(self.user)
        directory = self.home
        for part in os.path.dirname(relative).split(os.sep):
            directory = os.path.join(directory, part)
            if not os.path.isdir(directory):
                os.mkdir(directory, 0o700)
                os.chown(directory, account.pw_uid, account.pw_gid)
        with open(path, "w") as f:
            f.write(text)
        os.chown(path, account.pw_uid, account.pw_gid)
        return path

    def journal(self, *matches):
        """The journal's entries that match, e.g. SYSLOG_IDENTIFIER=postured, as dicts."""
        result = subprocess.run(["nsenter", "--mount", f"--target={self.journald.pid}", "journalctl", "--no-pager",
                                 "--output=json", *matches], capture_output=True, text=True, timeout=30)
        return [json.loads(line) for line in result.stdout.splitlines()]

    def close(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for cgroup in self.cgroups:
            for directory, _, _ in os.walk(cgroup, topdown=False):  # the deepest first
                try:
                    os.rmdir(directory)
                except OSError:
                    pass
        subprocess.run(["userdel", self.user], check=False)
