#!/usr/bin/python3
"""Times `posturectl status` against a running daemon and `/bin/true`, alternating the two over
1,000 runs each, and prints the medians. Usage: bench/posturectl_status.py BUILD_DIR [RUNS]"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

build = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
work = tempfile.mkdtemp(prefix="postured-bench-")
env = dict(os.environ, XDG_RUNTIME_DIR=work, XDG_STATE_HOME=work)
config = os.path.join(work, "config.toml")
with open(config, "w") as f:
    f.write('[schedule]\nworking_hours = "always"\n')
daemon = subprocess.Popen([os.path.join(build, "postured"), "--config", config],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
posturectl = [os.path.join(build, "posturectl"), "status"]
try:
    for _ in range(100):
        if subprocess.run(posturectl, env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.05)

    def timed(command):
        start = time.perf_counter_ns()
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter_ns() - start
        assert result.returncode == 0, command
        return elapsed / 1e6

    ctl, true = [], []
    for _ in range(runs):
        ctl.append(timed(posturectl))
        true.append(timed(["/bin/true"]))
    ctl_median, true_median = statistics.median(ctl), statistics.median(true)
    print(f"runs:                      {runs} each, alternating")
    print(f"posturectl status median:  {ctl_median:.3f} ms (p90 {statistics.quantiles(ctl, n=10)[-1]:.3f} ms)")
    print(f"/bin/true median:          {true_median:.3f} ms (p90 {statistics.quantiles(true, n=10)[-1]:.3f} ms)")
    print(f"ratio:                     {ctl_median / true_median:.2f}x (target <= 2x)")
finally:
    daemon.terminate()
    daemon.wait()
