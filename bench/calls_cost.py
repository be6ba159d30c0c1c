#!/usr/bin/python3
"""What watching for calls costs the daemon: the real postured beside a real PipeWire and WirePlumber
(the recipe of docs/desktops.md), once with [calls] on and once off, each for MINUTES (default 3) of
every phase: PipeWire running and nothing captured; a call (pw-record) running throughout; and a call
starting and ending every 30 s. Prints, for each, the daemon's wake-ups per minute (counted as in
bench/presence_cost.py), its CPU time and its threads.

Usage: bench/calls_cost.py BUILD_DIR [MINUTES]"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import harness  # noqa: E402
from desktop import Bus, PipeWire, Processes, need  # noqa: E402
from presence_cost import WakeCounter, counters, threads  # noqa: E402

CONFIG = '[schedule]\nworking_hours = "always"\n[calls]\nenabled = {}\n'


def measure(daemon, seconds, act=None):
    pid = daemon.process.pid
    cpu_before = counters(pid)[1]
    counter = WakeCounter(pid)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if act:
            act()
        time.sleep(0.5)
    wakeups = counter.stop()
    return wakeups / (seconds / 60), counters(pid)[1] - cpu_before


def run(build, minutes):
    harness.BUILD = build
    seconds = minutes * 60
    tmp = tempfile.TemporaryDirectory(prefix="postured-calls-cost-")
    processes = Processes(tmp.name)
    try:
        runtime = os.path.join(tmp.name, "runtime")
        os.mkdir(runtime, 0o700)
        pipewire = PipeWire(processes, Bus(processes, "session-bus"), runtime)
        rows = []
        for enabled in ("true", "false"):
            work = tempfile.mkdtemp(dir=tmp.name)
            daemon = harness.Daemon(work, CONFIG.format(enabled), runtime=runtime,
                                    env={"DBUS_SESSION_BUS_ADDRESS": ""})
            time.sleep(2)
            quiet = measure(daemon, seconds)

            call = pipewire.record()
            time.sleep(10)  # a call by now
            in_call = measure(daemon, seconds)
            processes.stop(call)
            time.sleep(20)

            state = {"call": None, "since": time.monotonic()}

            def calls():
                if time.monotonic() - state["since"] < 15:
                    return
                if state["call"]:
                    processes.stop(state["call"])
                    state["call"] = None
                else:
                    state["call"] = pipewire.record()
                state["since"] = time.monotonic()

            changing = measure(daemon, seconds, calls)
            if state["call"]:
                processes.stop(state["call"])
            names = threads(daemon.process.pid)
            daemon.stop()
            rows.append((enabled, quiet, in_call, changing, names))
    finally:
        processes.close()
        tmp.cleanup()

    print(f"{minutes} min each; wake-ups per minute (CPU seconds)")
    print(f"{'[calls] enabled':<16} {'nothing captured':>18} {'a call throughout':>18} {'a call every 30 s':>18}  threads")
    for enabled, quiet, in_call, changing, names in rows:
        cells = [f"{rate:.1f} ({cpu:.2f} s)" for rate, cpu in (quiet, in_call, changing)]
        print(f"{enabled:<16} {cells[0]:>18} {cells[1]:>18} {cells[2]:>18}  {names}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    need("pipewire", "wireplumber", "pw-record")
    run(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 3)


if __name__ == "__main__":
    main()
