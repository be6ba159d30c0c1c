#!/usr/bin/python3
"""postured as a user service, under a real systemd --user (the test suite's UserManager; needs
root): how long `systemctl --user start` takes to return (READY=1), how long a kill -9 keeps it
away, its resident memory, and its wake-ups while it waits with the shipped watchdog.
Usage: bench/user_service.py BUILD_DIR [SECONDS]"""
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import harness  # noqa: E402
from harness import unit_for_this_build  # noqa: E402
from user_manager import UserManager  # noqa: E402

harness.BUILD = os.path.join(os.path.abspath(sys.argv[1]), "bin")
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60


def task_switches(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/status") as f:
            total += sum(int(line.split()[1]) for line in f if "ctxt_switches" in line)
    return total


work = tempfile.mkdtemp(prefix="postured-bench-")
manager = UserManager(work)
try:
    manager.write(".config/systemd/user/postured.service", unit_for_this_build())
    manager.write(".config/postured/config.toml", harness.CONFIG)

    starts = []
    for _ in range(20):
        began = time.monotonic()
        assert manager.systemctl("start", "postured")[0] == 0
        starts.append(time.monotonic() - began)
        assert manager.systemctl("stop", "postured")[0] == 0
    print(f"systemctl --user start:   median {statistics.median(starts) * 1000:.0f} ms, "
          f"max {max(starts) * 1000:.0f} ms (20 starts, returns at READY=1)")

    manager.systemctl("start", "postured")
    pid = manager.show("postured", "MainPID")["MainPID"]
    began = time.monotonic()
    os.kill(int(pid), signal.SIGKILL)
    manager.wait_for_restart("postured", pid, timeout=30)
    print(f"kill -9 to running again: {time.monotonic() - began:.2f} s (RestartSec=2s)")

    service = manager.show("postured", "MainPID", "WatchdogUSec")
    pid = int(service["MainPID"])
    before = task_switches(pid)
    time.sleep(seconds)
    switches = task_switches(pid) - before
    with open(f"/proc/{pid}/status") as f:
        rss = next(line.split()[1] for line in f if line.startswith("VmRSS"))
    print(f"waiting {seconds} s:          {switches} context switches ({switches * 60 / seconds:.1f}/min; "
          f"WatchdogSec={service['WatchdogUSec']}, pinged at half that), resident memory {rss} KiB")
finally:
    manager.close()
    shutil.rmtree(work, ignore_errors=True)
