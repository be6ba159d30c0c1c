#!/usr/bin/python3
"""CPack builds a .deb with the right dependencies; apt-get installs it; the installed postured,
config, catalog and unit work, the unit under a real `systemd --user`. The package is removed at
the end. Needs root, and runs alone: it installs into the system."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from user_manager import UserManager

SOURCE = sys.argv.pop(1)
UNIT = "/usr/lib/systemd/user/postured.service"


def run(*command, cwd=None):
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)}: {result.stderr}")
    return result.stdout


class DebPackageTest(unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.fail("installing a package needs root (CI runs as root)")
        for tool in ["cpack", "dpkg-shlibdeps", "apt-get", "systemd-analyze"]:
            self.assertTrue(shutil.which(tool), f"{tool} is missing (.ci/install-deps --test installs it)")
        installed = subprocess.run(["dpkg", "-s", "postured"], capture_output=True)
        self.assertNotEqual(installed.returncode, 0, "a postured package is installed already; remove it first")
        self.work = tempfile.mkdtemp(prefix="postured-deb-")
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)

    def test_the_package_installs_and_its_unit_runs(self):
        build = os.path.join(self.work, "build")
        run("cmake", "-S", SOURCE, "-B", build, "-DCMAKE_INSTALL_PREFIX=/usr", "-DBUILD_TESTING=OFF")
        run("cmake", "--build", build, "-j2")
        run("cpack", "-G", "DEB", cwd=build)
        [deb] = glob.glob(os.path.join(build, "postured_*.deb"))
        depends = run("dpkg-deb", "-f", deb, "Depends")
        for library in ["libnotify4", "libsqlite3-0", "libsystemd0", "libglib2.0-0", "libtomlplusplus3"]:
            self.assertIn(library, depends)

        self.addCleanup(subprocess.run, ["apt-get", "remove", "-y", "-qq", "postured"], capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "./" + os.path.basename(deb)], cwd=build, check=True,
                       capture_output=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        version = run("dpkg-deb", "-f", deb, "Version").strip()
        self.assertEqual(run("/usr/bin/postured", "--version").strip(), f"postured {version}")
        run("/usr/bin/postured", "--check-config", "/etc/xdg/postured/config.toml")
        self.assertTrue(os.path.isfile("/usr/share/postured/stretches.toml"))
        with open(UNIT) as f:
            unit = f.read()
        self.assertIn("ExecStart=/usr/bin/postured\n", unit)

        runtime = os.path.join(self.work, "verify")
        os.mkdir(runtime, 0o700)
        verify = subprocess.run(["systemd-analyze", "--user", "verify", UNIT], capture_output=True, text=True,
                                env=dict(os.environ, XDG_RUNTIME_DIR=runtime))
        self.assertEqual((verify.returncode, verify.stderr), (0, ""))

        # The installed unit, as a user enables it, on the installed config and catalog.
        manager = UserManager(self.work)
        self.addCleanup(manager.close)
        code, _, err = manager.systemctl("enable", "--now", "postured")
        self.assertEqual(code, 0, err)
        service = manager.show("postured", "ActiveState", "SubState", "UnitFileState")
        self.assertEqual(service, {"ActiveState": "active", "SubState": "running", "UnitFileState": "enabled"})
        code, out, err = manager.run("/usr/bin/posturectl", "stretches", "list")
        self.assertEqual(code, 0, err)
        self.assertIn("seated-twist", out)
        code, _, err = manager.systemctl("reload", "postured")
        self.assertEqual(code, 0, err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
