#!/usr/bin/env python3
"""How much CPU *other* processes use while a benchmark runs, on a machine shared with other people's builds.

Usage: others_cpu.py <root-pid> [--samples FILE] [--interval SECONDS]

Every interval (default 2 s) until <root-pid> exits (or this process gets SIGTERM), compares the machine's busy CPU time (/proc/stat) with the CPU time
of <root-pid> and all its descendants; the difference is what other processes used, in % of the whole machine. At the
end prints one summary line (mean and max over the samples). With --samples, also writes one line per sample,
"<epoch seconds> <others %> <ours %>", so that a caller can average over the time window of each of its runs.

The CPU of our tree is the sum over its processes of utime + stime + cutime + cstime: a child that exits and is reaped
moves its CPU time into its parent's cutime/cstime, so the sum stays whole when processes come and go between samples.
A sample in which the sum went down (a process gone before it was reaped, or the root gone) is left out.
"""
import os
import signal
import sys
import time


def busy_ticks():
    fields = list(map(int, open('/proc/stat').readline().split()[1:]))
    return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]  # user nice system irq softirq steal


def tree_ticks(root):
    stats = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                s = open(f'/proc/{name}/stat').read()
                f = s[s.rindex(')') + 2:].split()
                stats[int(name)] = (int(f[1]), int(f[11]) + int(f[12]) + int(f[13]) + int(f[14]))  # ppid, cpu
            except (OSError, ValueError):
                pass
    pids, grew = {root}, True
    while grew:
        grew = False
        for pid, (ppid, _) in stats.items():
            if ppid in pids and pid not in pids:
                pids.add(pid)
                grew = True
    return sum(stats[p][1] for p in pids if p in stats)


def main(argv):
    root = int(argv[0])
    samples_file = argv[argv.index('--samples') + 1] if '--samples' in argv else None
    interval = float(argv[argv.index('--interval') + 1]) if '--interval' in argv else 2.0
    hz, ncpu = os.sysconf('SC_CLK_TCK'), os.cpu_count()
    out = open(samples_file, 'a', buffering=1) if samples_file else None
    samples = []
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))
    b0, m0, t0 = busy_ticks(), tree_ticks(root), time.time()
    while os.path.exists(f'/proc/{root}') and not stopped:
        time.sleep(interval)
        b1, m1, t1 = busy_ticks(), tree_ticks(root), time.time()
        if m1 < m0 or not os.path.exists(f'/proc/{root}'):
            # our tree lost CPU time: a process of it is gone before its parent reaped it, or the root itself (its
            # whole tree's time goes with it); counted as others', that read up to thousands of % (issue 11's logs)
            b0, m0, t0 = b1, m1, t1
            continue
        capacity = (t1 - t0) * ncpu * hz
        ours = max(0.0, (m1 - m0) / capacity * 100)
        others = max(0.0, (b1 - b0 - (m1 - m0)) / capacity * 100)
        samples.append(others)
        if out:
            out.write(f'{t1:.3f} {others:.1f} {ours:.1f}\n')
        b0, m0, t0 = b1, m1, t1
    if samples:
        print(f"# others' CPU during the run: mean {sum(samples) / len(samples):.1f}%, max {max(samples):.1f}% of {ncpu}"
              f" CPUs ({len(samples)} samples of {interval:g} s; >10% means the run shared the machine)")


if __name__ == '__main__':
    main(sys.argv[1:])
