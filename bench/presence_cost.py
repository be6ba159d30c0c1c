#!/usr/bin/python3
"""What watching presence costs the daemon: the real postured, with the shipped defaults (idle after a
minute) and working hours "always", watching a real X server (Xvfb, typing from xdotool), a real
Mutter run headless (pointer input through its RemoteDesktop API) or a real sway run headless (input
through its seat command; as root, it creates a throwaway user for sway), with dbusmock's logind on
a stand-in system bus, for MINUTES (default 10) of a scripted workday: typing in bursts, short
pauses, a few longer ones, and two minutes of typing without a pause. Prints, from /proc, the
daemon's wake-ups (moments, 20 ms apart at least, when any of its threads ran: one event can switch
several threads and wait on a disk) and context switches per minute, those of the unbroken typing,
and its CPU time.

Usage: bench/presence_cost.py BUILD_DIR [x11|gnome|wayland|all] [MINUTES]"""
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import harness  # noqa: E402
from desktop import Bus, Logind, Mutter, Processes, Sway, TestUser, Xvfb, need, status  # noqa: E402

CONFIG = '[schedule]\nworking_hours = "always"\n'


def workday():
    """(what, seconds) steps, the same at every run: two minutes of typing without a pause (measured
    on its own), then bursts of typing, each followed by a pause: mostly a short one (reading,
    thinking: under a minute), one time in four a longer one (idle after the first minute)."""
    rng = random.Random(7)
    yield "type", 120.0
    while True:
        yield "type", rng.uniform(15, 90)
        yield "pause", rng.uniform(70, 150) if rng.random() < 0.25 else rng.uniform(3, 40)


def counters(pid):
    switches = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/status") as f:
            for line in f:
                if "ctxt_switches" in line:
                    switches += int(line.split()[1])
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return switches, ticks / os.sysconf("SC_CLK_TCK")


class WakeCounter(threading.Thread):
    """Counts the moments the daemon ran: 20 ms samples of its context switches, a run of busy
    samples counting once."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.wakeups, self.running = pid, 0, True
        self.start()

    def run(self):
        last, busy = counters(self.pid)[0], False
        while self.running:
            time.sleep(0.02)
            now = counters(self.pid)[0]
            if now != last and not busy:
                self.wakeups += 1
            busy, last = now != last, now

    def stop(self):
        self.running = False
        self.join()
        return self.wakeups


def threads(pid):
    names = []
    for task in sorted(os.listdir(f"/proc/{pid}/task")):
        with open(f"/proc/{pid}/task/{task}/comm") as f:
            names.append(f.read().strip())
    return " ".join(names)


def run(desktop, build, minutes):
    tmp = tempfile.TemporaryDirectory(prefix=f"postured-bench-{desktop}-")
    processes = Processes(tmp.name)
    user = None
    try:
        session_bus = Bus(processes, "session-bus")
        system_bus = Bus(processes, "system-bus")
        Logind(processes, system_bus)
        env = {"DBUS_SESSION_BUS_ADDRESS": session_bus.address, "DBUS_SYSTEM_BUS_ADDRESS": system_bus.address,
               "XDG_SESSION_ID": "c1"}
        if desktop == "x11":
            x = Xvfb(processes)
            env.update(DISPLAY=x.display, XDG_SESSION_TYPE="x11")

            def type_for(seconds):
                end = time.monotonic() + seconds
                while time.monotonic() < end - 1:  # a few keystrokes a second
                    subprocess.run(["xdotool", "type", "--delay", "150", "asdf jkl"], check=True, timeout=30,
                                   env=dict(os.environ, DISPLAY=x.display))
        elif desktop == "wayland":
            user = TestUser()
            sway = Sway(processes, user)
            env.update(XDG_CURRENT_DESKTOP="sway", XDG_SESSION_TYPE="wayland", WAYLAND_DISPLAY=sway.display,
                       SWAYSOCK=sway.ipc())

            # Input through sway's seat: wtype's virtual keyboard, made and removed at each run, would be
            # the headless seat's only keyboard and change its capabilities, waking every client, which a
            # real seat with its keyboard never does.
            def type_for(seconds):
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    sway.move()
                    time.sleep(0.12)
        else:
            runtime = os.path.join(tmp.name, "desktop-runtime")
            os.mkdir(runtime, 0o700)
            mutter = Mutter(processes, session_bus, runtime)
            env.update(XDG_CURRENT_DESKTOP="GNOME", XDG_SESSION_TYPE="wayland", WAYLAND_DISPLAY="wayland-0")

            def type_for(seconds):
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    mutter.pointer.input()
                    time.sleep(0.12)

        daemon = harness.Daemon(os.path.join(tmp.name, "daemon"), CONFIG, env=env, args=["--log-level", "debug"])
        time.sleep(2)  # past start-up
        source = status(daemon)["idle_source"]
        if source != desktop:
            raise SystemExit(f"the daemon picked the idle source {source}, not {desktop}:\n{daemon.stderr()}")
        pid = daemon.process.pid
        time.sleep(6)  # past that question's connection and its 5 s idle timer

        start_switches, start_cpu = counters(pid)
        started = time.monotonic()
        wakes = WakeCounter(pid)
        unbroken = None
        pauses = 0
        for what, seconds in workday():
            seconds = min(seconds, minutes * 60 - (time.monotonic() - started))
            if seconds <= 0:
                break
            before = counters(pid)[0]
            if what == "type":
                type_for(seconds)
            else:
                time.sleep(seconds)
                pauses += seconds > 60
            if unbroken is None:
                unbroken = counters(pid)[0] - before  # context switches
        elapsed = time.monotonic() - started
        wakeups = wakes.stop()
        end_switches, end_cpu = counters(pid)
        switches = end_switches - start_switches
        transitions = daemon.stderr().count("presence: ")
        print(f"{desktop}: {elapsed / 60:.1f} min of a scripted workday ({pauses} pauses over a minute)")
        print(f"  threads:                   {threads(pid)}")
        print(f"  wake-ups:                  {wakeups} ({wakeups * 60 / elapsed:.2f} per minute; target <= 1)")
        print(f"  context switches:          {switches} ({switches * 60 / elapsed:.2f} per minute)")
        print(f"  while typing unbroken:     {unbroken} context switches in 2 min (target 0)")
        print(f"  cpu time:                  {end_cpu - start_cpu:.2f} s")
        print(f"  presence changes logged:   {transitions}")
        with open(f"/proc/{pid}/status") as f:
            rss = next(line.split()[1] for line in f if line.startswith("VmRSS"))
        print(f"  resident memory:           {rss} KiB")
        daemon.stop()
    finally:
        processes.close()
        tmp.cleanup()
        if user:
            user.remove()


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    harness.BUILD = os.path.join(os.path.abspath(sys.argv[1]), "bin")
    which = sys.argv[2] if len(sys.argv) > 2 else "all"
    minutes = float(sys.argv[3]) if len(sys.argv) > 3 else 10
    need("Xvfb", "xdotool", "mutter", "dbus-daemon", "gdbus")
    for desktop in (["x11", "gnome", "wayland"] if which == "all" else [which]):
        run(desktop, harness.BUILD, minutes)


if __name__ == "__main__":
    main()
