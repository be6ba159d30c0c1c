#!/usr/bin/python3
"""CPack builds a .deb that lintian passes; apt-get installs it; the installed postured, config,
catalog, man pages and unit work, the unit under a real `systemd --user`. A package built from a
later commit upgrades it and keeps the user's edit of the config, which goes only on purge. Needs
root. It runs beside the other tests: their daemons read only the config they are given, and the
catalog it installs is the one built into them."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import harness

from user_manager import UserManager

SOURCE = sys.argv.pop(1)
UNIT = "/usr/lib/systemd/user/postured.service"
CONFIG = "/etc/xdg/postured/config.toml"
APT_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
GIT = ["git", "-c", "user.name=postured test", "-c", "user.email=test@postured.invalid"]


def run(*command, cwd=None):
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)}: {result.stderr}")
    return result.stdout


def apt_get(*arguments, cwd=None):
    result = subprocess.run(["apt-get", "-y", "-qq", *arguments], cwd=cwd, capture_output=True, text=True,
                            env=APT_ENV)
    if result.returncode != 0:
        raise AssertionError(f"apt-get {' '.join(arguments)}: {result.stderr}")


def copy_of_the_tree(destination):
    """A clone of the source with its working tree as it is now, committed: the package's version
    comes from the commit, and the test commits again to build a later one."""
    run("git", "clone", "-q", SOURCE, destination)
    listed = run("git", "-C", SOURCE, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for path in filter(None, listed.split("\0")):
        source = os.path.join(SOURCE, path)
        target = os.path.join(destination, path)
        if os.path.lexists(source):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.lexists(target):
                os.remove(target)  # a symlink is made anew, not written through
            shutil.copy2(source, target, follow_symlinks=False)
        elif os.path.lexists(target):
            os.remove(target)
    run(*GIT, "-C", destination, "add", "-A")
    run(*GIT, "-C", destination, "commit", "-q", "--allow-empty", "-m", "The tree under test")


def package(build):
    for old in glob.glob(os.path.join(build, "postured_*.deb")):
        os.remove(old)
    run("cmake", "--build", build, "-j2")
    run("cpack", "-G", "DEB", cwd=build)
    [deb] = glob.glob(os.path.join(build, "postured_*.deb"))
    return deb, run("dpkg-deb", "-f", deb, "Version").strip()


def installed_version():
    result = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", "postured"],
                            capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else "not known to dpkg"


class DebPackageTest(unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.fail("installing a package needs root (CI runs as root)")
        for tool in ["cpack", "dpkg-shlibdeps", "apt-get", "systemd-analyze", "lintian", "git"]:
            self.assertTrue(shutil.which(tool), f"{tool} is missing (.ci/install-deps --test installs it)")
        self.assertEqual(installed_version(), "not known to dpkg", "remove the installed postured first")
        self.work = tempfile.mkdtemp(prefix="postured-deb-")
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)

    def test_install_upgrade_remove_purge(self):
        tree = os.path.join(self.work, "source")
        build = os.path.join(self.work, "build")
        copy_of_the_tree(tree)
        # Configured as the README's first command does, with no prefix: the package's paths do
        # not depend on it. Release: CPack strips the binaries, so debug information would only
        # cost build time.
        run("cmake", "-S", tree, "-B", build, "-DBUILD_TESTING=OFF", "-DCMAKE_BUILD_TYPE=Release")
        deb, version = package(build)
        paths = [line.split()[-1] for line in run("dpkg-deb", "-c", deb).splitlines()]
        self.assertEqual([p for p in paths if not p.startswith(("./usr/", "./etc/xdg/"))], ["./etc/"])

        lintian = subprocess.run(["lintian", "--fail-on", "error,warning", deb], capture_output=True, text=True)
        complaints = [line for line in lintian.stdout.splitlines() if line[:2] in ("E:", "W:")]
        self.assertEqual((lintian.returncode, complaints), (0, []), lintian.stdout + lintian.stderr)
        depends = run("dpkg-deb", "-f", deb, "Depends")
        for library in ["libnotify4", "libsqlite3-0", "libsystemd0", "libglib2.0-0", "libtomlplusplus3"]:
            self.assertIn(library, depends)

        self.addCleanup(subprocess.run, ["apt-get", "purge", "-y", "-qq", "postured"], capture_output=True)
        apt_get("install", "./" + os.path.basename(deb), cwd=build)
        self.assertEqual(installed_version(), f"installed {version}")
        self.assertEqual(run("/usr/bin/postured", "--version").strip(), f"postured {version}")
        self.assertEqual(run("dpkg-query", "-W", "-f=${Conffiles}", "postured").split()[0], CONFIG)
        run("/usr/bin/postured", "--check-config", CONFIG)
        self.assertTrue(os.path.isfile("/usr/share/postured/stretches.toml"))
        for picture in ["seated-twist.png", "seated-twist.svg", "open-book.png"]:
            self.assertTrue(os.path.isfile(f"/usr/share/postured/stretches/{picture}"), picture)
        self.assertIn("dnd_max_delay", run("man", "-P", "cat", "5", "postured.toml"))
        with open(UNIT) as f:
            unit = f.read()
        self.assertIn("ExecStart=/usr/bin/postured\n", unit)
        self.check_the_installed_unit_runs()

        # The administrator's edit, then a package built from a later commit.
        with open(CONFIG) as f:
            shipped = f.read()
        edited = shipped.replace('interval = "60m"', 'interval = "45m"')
        self.assertNotEqual(edited, shipped)
        with open(CONFIG, "w") as f:
            f.write(edited)
        run(*GIT, "-C", tree, "commit", "-q", "--allow-empty", "-m", "A later commit")
        later_deb, later = package(build)
        run("dpkg", "--compare-versions", later, "gt", version)
        apt_get("install", "./" + os.path.basename(later_deb), cwd=build)
        self.assertEqual(installed_version(), f"installed {later}")
        self.assertEqual(run("/usr/bin/postured", "--version").strip(), f"postured {later}")
        with open(CONFIG) as f:
            self.assertEqual(f.read(), edited, "the upgrade overwrote the edited config")

        apt_get("remove", "postured")
        self.assertEqual(installed_version(), f"config-files {later}")
        self.assertFalse(os.path.exists("/usr/bin/postured"))
        with open(CONFIG) as f:
            self.assertEqual(f.read(), edited, "remove deleted the edited config")

        apt_get("purge", "postured")
        self.assertEqual(installed_version(), "not known to dpkg")
        self.assertFalse(os.path.exists(os.path.dirname(CONFIG)), "purge left the config behind")

    def check_the_installed_unit_runs(self):
        runtime = os.path.join(self.work, "verify")
        os.mkdir(runtime, 0o700)
        verify = subprocess.run(["systemd-analyze", "--user", "verify", UNIT], capture_output=True, text=True,
                                env=dict(os.environ, XDG_RUNTIME_DIR=runtime))
        self.assertEqual((verify.returncode, verify.stderr), (0, ""))

        # The installed unit, as a user enables it, on the installed config and catalog.
        manager = UserManager(self.work, system_places=True)
        try:
            code, _, err = manager.systemctl("enable", "--now", "postured")
            self.assertEqual(code, 0, err)
            service = manager.show("postured", "ActiveState", "SubState", "UnitFileState")
            self.assertEqual(service, {"ActiveState": "active", "SubState": "running", "UnitFileState": "enabled"})
            code, out, err = manager.run("/usr/bin/posturectl", "stretches", "list")
            self.assertEqual(code, 0, err)
            self.assertIn("seated-twist", out)
            code, out, err = manager.run("/usr/bin/posturectl", "stretches", "show", "seated-twist")
            self.assertEqual(code, 0, err)
            self.assertIn("Picture: /usr/share/postured/stretches/seated-twist.png\n", out)
            code, _, err = manager.systemctl("reload", "postured")
            self.assertEqual(code, 0, err)
        finally:
            manager.close()


if __name__ == "__main__":
    harness.main()
