#!/usr/bin/env python3
"""Helpers of footprint.sh (the orchestration is in the shell script; this file times, parses and sums up).

  fp.py port                                   a free TCP port on 127.0.0.1
  fp.py probe <port> <t0> <pid> <timeout-s>
        The launch probe. <t0> is the epoch time (seconds, from bash's $EPOCHREALTIME) taken just before the server was
        launched; <pid> is the server JVM's. Every 10 ms it POSTs a JSON-RPC initialize to
        http://127.0.0.1:<port>/mcp (a refused connection or any answer other than a JSON-RPC result is retried); when
        one is answered it sends notifications/initialized and one tools/call get_forecast on the same session (HTTP
        keep-alive connection). Prints key=value lines: init_ms / call_ms (t0 to the complete HTTP response of the
        first answered initialize / of that tools/call), init_cpu_s / call_cpu_s (the server's user+sys CPU seconds,
        /proc/<pid>/stat, read right after each response), and init_cpu_<group>_s: the CPU at initialize per group of
        threads (see THREAD_GROUPS).
  fp.py load-threads <load.txt>                the server's CPU per measured call by group of threads (LoadClient's
                                               "threads" lines), as percall_<group>_us=... lines
  fp.py classes <class+load log>               counts of a -Xlog:class+load log, as key=value lines
  fp.py histogram <GC.class_histogram output>  total bytes, key=value
  fp.py first-span <spans.jsonl>               epoch seconds of the earliest start_time in a JSON-lines file
  fp.py round-load <results dir> <round>       others' CPU during a round (mean over its runs, % of the machine),
                                               and "busy" (> 15 %) or "quiet"
  fp.py report <results dir>                   the markdown tables, from raw.tsv, census.tsv, others-cpu.txt, hist/;
                                               when some rounds were busy (others' CPU > 15 %), first those of the quiet
                                               rounds, then those of all rounds
"""
import calendar
import http.client
import json
import os
import re
import socket
import statistics
import sys
import time

PROTOCOL = '2025-06-18'
HEADERS = {'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream'}


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def stat_ticks(path):
    """utime + stime of a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat, in clock ticks."""
    s = open(path).read()
    f = s[s.rindex(')') + 2:].split()
    return int(f[11]) + int(f[12])


def cpu_seconds(pid):
    return stat_ticks(f'/proc/{pid}/stat') / HZ


# Server threads by /proc name (15 characters at most): the JVM's main thread keeps the launcher's name, "java".
THREAD_GROUPS = [
    ('main', ('java',)),
    ('jit', ('C1 CompilerThre', 'C2 CompilerThre')),
    ('gc', ('GC Thread', 'G1 ', 'VM Thread')),
    ('http', ('http-nio',)),
    ('agent', ('mcp-observatory',)),
]
GROUP_LABELS = {'main': 'main thread', 'jit': 'JIT compiler threads', 'gc': 'GC threads and VM thread',
                'http': 'Tomcat request threads', 'agent': "agent's threads (drainer)", 'other': 'other threads'}
HZ = os.sysconf('SC_CLK_TCK')


def group_of(name):
    for group, prefixes in THREAD_GROUPS:
        matches = name == 'java' if group == 'main' else name.startswith(prefixes)
        if matches:
            return group
    return 'other'


def grouped(name_ticks):
    sums = dict.fromkeys(GROUP_LABELS, 0)
    for name, ticks in name_ticks:
        sums[group_of(name)] += ticks
    return sums


def thread_ticks(pid):
    result = []
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            result.append((open(f'/proc/{pid}/task/{tid}/comm').read().strip(),
                           stat_ticks(f'/proc/{pid}/task/{tid}/stat')))
        except OSError:
            pass  # the thread ended meanwhile
    return result


def post(conn, body, session=None):
    headers = dict(HEADERS)
    if session:
        headers['Mcp-Session-Id'] = session
        headers['MCP-Protocol-Version'] = PROTOCOL
    conn.request('POST', '/mcp', json.dumps(body), headers)
    response = conn.getresponse()
    return response.status, response.getheader('Mcp-Session-Id'), response.read().decode('utf-8', 'replace')


def alive(pid):
    try:
        return open(f'/proc/{pid}/stat').read().rsplit(') ', 1)[1][0] != 'Z'
    except OSError:
        return False


def probe(port, t0, pid, timeout):
    deadline = time.time() + timeout
    initialize = {'jsonrpc': '2.0', 'id': 1, 'method': 'initialize', 'params': {
        'protocolVersion': PROTOCOL, 'capabilities': {}, 'clientInfo': {'name': 'footprint-probe', 'version': '1'}}}
    while True:
        if time.time() > deadline:
            raise SystemExit(f'probe: no answer to initialize on port {port} within {timeout} s')
        if not alive(pid):
            raise SystemExit(f'probe: the server (pid {pid}) exited before it answered')
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=max(1.0, deadline - time.time()))
        try:
            status, session, text = post(conn, initialize)
            if status == 200 and '"result"' in text:
                break
        except (OSError, http.client.HTTPException):
            pass
        conn.close()
        time.sleep(0.01)
    init_at, init_cpu, init_threads = time.time(), cpu_seconds(pid), grouped(thread_ticks(pid))
    post(conn, {'jsonrpc': '2.0', 'method': 'notifications/initialized'}, session)
    status, _, text = post(conn, {'jsonrpc': '2.0', 'id': 2, 'method': 'tools/call',
                                  'params': {'name': 'get_forecast', 'arguments': {'city': 'Paris'}}}, session)
    call_at, call_cpu = time.time(), cpu_seconds(pid)
    if status != 200 or '"result"' not in text:
        raise SystemExit(f'probe: tools/call answered {status}: {text[:200]}')
    print(f'init_ms={(init_at - t0) * 1000:.0f}')
    print(f'init_cpu_s={init_cpu:.2f}')
    print(f'call_ms={(call_at - t0) * 1000:.0f}')
    print(f'call_cpu_s={call_cpu:.2f}')
    for group, ticks in init_threads.items():
        print(f'init_cpu_{group}_s={ticks / HZ:.2f}')


def load_threads(path):
    """Per measured call, the server's CPU by group of threads, from LoadClient's "threads <point>" lines."""
    points, calls = {}, None
    for line in open(path):
        if line.startswith('threads '):
            point, *entries = line.rstrip('\n').split('\t')
            points[point.split()[1]] = grouped((e.rsplit(':', 1)[0], int(e.rsplit(':', 1)[1])) for e in entries)
        elif line.startswith('measured '):
            calls = int(re.search(r'calls=(\d+)', line).group(1))
    start, end = points['measured-start'], points['measured-end']
    for group in GROUP_LABELS:
        print(f'percall_{group}_us={(end[group] - start[group]) / HZ * 1e6 / calls:.1f}')


JDK_PACKAGES = ('java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'org.w3c.', 'org.xml.', 'org.ietf.')


def classes(path):
    """Counts of a -Xlog:class+load log (lines '... <class name> source: <where>')."""
    counts = dict.fromkeys(['classes', 'shared', 'shared_app', 'agent', 'bytebuddy', 'jtokkit', 'sdk'], 0)
    for line in open(path, errors='replace'):
        m = re.search(r'\[class,load\] (\S+) source: (.*)$', line)
        if not m:
            continue
        name, source = m.groups()
        counts['classes'] += 1
        if source.startswith('shared objects file'):
            counts['shared'] += 1
            counts['shared_app'] += not name.startswith(JDK_PACKAGES)
        if name.startswith('io.mcpobservatory.') and not name.startswith('io.mcpobservatory.examples.'):
            counts['agent'] += 1
            counts['bytebuddy'] += name.startswith('io.mcpobservatory.shaded.net.bytebuddy.')
            counts['jtokkit'] += name.startswith('io.mcpobservatory.shaded.com.knuddels.')
        counts['sdk'] += name.startswith('io.modelcontextprotocol.')
    for key, value in counts.items():
        print(f'{key}={value}')


def read_histogram(path):
    """{class name: bytes} and the total of a jcmd GC.class_histogram output."""
    per_class, total = {}, 0
    for line in open(path, errors='replace'):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            per_class[m.group(3)] = per_class.get(m.group(3), 0) + int(m.group(2))
        elif line.startswith('Total'):
            total = int(line.split()[2])
    return per_class, total


def first_span(path):
    """Earliest start_time (ISO-8601 UTC with up to nanosecond digits) of the spans in a JSON-lines file, epoch seconds."""
    starts = []
    for line in open(path):
        m = re.search(r'"start_time":"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z"', line)
        if m:
            y, mo, d, h, mi, s, frac = m.groups()
            whole = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
            starts.append(whole + (float('0.' + frac) if frac else 0.0))
    if not starts:
        raise SystemExit(f'no start_time in {path}')
    return min(starts)


# ------------------------------------------------------------------------------------------------------------ report

VARIANTS = {'A': 'without agent', 'B': 'with agent', 'C': 'agent, enabled=false'}
ROWS = [  # metric, label, unit format, goal (on B - A)
    ('init_ms', 'launch → first answered `initialize`', '{:.0f} ms', '≤ +150 ms'),
    ('call_ms', 'launch → first answered `tools/call`', '{:.0f} ms', ''),
    ('init_cpu_s', 'server CPU (user+sys) at first `initialize`', '{:.2f} s', ''),
    ('call_cpu_s', 'server CPU (user+sys) at first `tools/call`', '{:.2f} s', ''),
    ('live_heap_mb', 'live heap after the load (`GC.class_histogram` total)', '{:.1f} MB', 'agent ≤ 16 MB'),
    ('metaspace_mb', 'metaspace used after the load (`jstat -gc` MU)', '{:.1f} MB', ''),
    ('rss_peak_mb', 'peak RSS (VmHWM) after the 2-thread load', '{:.0f} MB', '≤ +64 MB'),
    ('life_maxrss_mb', 'max RSS over the whole life (`time -v`)', '{:.0f} MB', ''),
    ('warmup_cpu_per_call_us', 'server CPU per fast `tools/call` during the warm-up', '{:.0f} µs', ''),
    ('cpu_per_call_us', 'server CPU per fast `tools/call`, after warm-up', '{:.0f} µs', '≤ +2 %'),
    ('calls_per_s', 'throughput of the measured calls (2 client threads)', '{:.0f} /s', ''),
    ('others_pct', "others' CPU during the run (mean, % of the machine)", '{:.0f} %', ''),
]
ATTACH_ROWS = [
    ('attach_span_ms', 'attach command start → first span (its `start_time`)', '≤ 1000 ms'),
    ('attach_file_ms', 'attach command start → first span in the file (export interval 100 ms)', ''),
    ('attach_cmd_ms', 'attach command wall time', ''),
    ('agent_start_ms', "agent start in the target (agent's log)", ''),
    ('retransform_ms', "retransformation in the target (agent's log)", ''),
]
CDS_VARIANTS = {'A': 'without agent, default CDS', 'A0': 'without agent, `-Xshare:off`',
                'B': 'with agent, default CDS', 'B0': 'with agent, `-Xshare:off`',
                'As': 'without agent, static AppCDS archive', 'Bs': 'with agent, static AppCDS archive',
                'C': 'agent with enabled=false, default CDS'}


def load_raw(directory):
    raw = {}  # (variant, metric) -> {round: value}
    for line in open(os.path.join(directory, 'raw.tsv')):
        r, variant, metric, value = line.split()
        raw.setdefault((variant, metric), {})[int(r)] = float(value)
    samples = []
    path = os.path.join(directory, 'others-cpu.txt')
    if os.path.exists(path):
        samples = [tuple(map(float, line.split()[:2])) for line in open(path) if line.strip()]
    # others' CPU over each run's window
    for (variant, metric), by_round in list(raw.items()):
        if metric != 't_start':
            continue
        for r, start in by_round.items():
            end = raw.get((variant, 't_end'), {}).get(r)
            window = [o for t, o in samples if end and start <= t <= end + 2]
            if window:
                raw.setdefault((variant, 'others_pct'), {})[r] = sum(window) / len(window)
    return raw


def spread(values, fmt):
    if not values:
        return '–'
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f'{fmt.format(med)} ({fmt.format(min(values)).split()[0]}–{fmt.format(max(values))})'


def paired_delta(raw, variant, metric, fmt, relative=False):
    """Median over rounds of (variant - A) in the same round: interleaved runs share the machine's load of the moment."""
    a, v = raw.get(('A', metric), {}), raw.get((variant, metric), {})
    deltas = [v[r] - a[r] for r in v if r in a]
    if not deltas:
        return '–'
    med = statistics.median(deltas)
    text = ('+' if med >= 0 else '') + fmt.format(med)
    if relative and statistics.median(a.values()):
        text += f' ({med / statistics.median(a.values()) * 100:+.1f} %)'
    if len(deltas) > 1:
        text += f' [{fmt.format(min(deltas)).split()[0]}…{fmt.format(max(deltas)).split()[0]}]'
    return text


BUSY_PCT = 15  # a round whose runs saw other processes take more than this (mean, % of the machine) is "busy"


def round_loads(raw):
    """Others' CPU per round: the mean over the round's runs of each run's mean."""
    per_round = {}
    for (_, metric), by_round in raw.items():
        if metric == 'others_pct':
            for r, value in by_round.items():
                per_round.setdefault(r, []).append(value)
    return {r: sum(values) / len(values) for r, values in per_round.items()}


def report(directory):
    raw = load_raw(directory)
    loads = round_loads(raw)
    quiet = [r for r in sorted(loads) if loads[r] <= BUSY_PCT]
    print("Others' CPU per round (mean of its runs, % of the machine): "
          + ', '.join(f'round {r} {loads[r]:.0f} %' for r in sorted(loads)) + '.\n')
    if 2 <= len(quiet) < len(loads):
        print(f'### The quiet rounds ({", ".join(map(str, quiet))}: others\' CPU ≤ {BUSY_PCT} %)\n')
        tables({k: {r: v for r, v in by.items() if r in quiet} for k, by in raw.items()})
        census_table(directory)
        histogram_delta(directory, quiet)
        print(f'\n### All rounds, including those where other processes took more than {BUSY_PCT} % of the machine\n')
        tables(raw)
    else:
        if len(quiet) < len(loads):
            print(f'Fewer than 2 rounds were quiet (others\' CPU ≤ {BUSY_PCT} %): the numbers below are upper bounds.\n')
        tables(raw)
        census_table(directory)
        histogram_delta(directory, sorted(loads))


def tables(raw):
    rounds = sorted({r for by_round in raw.values() for r in by_round})
    print(f'Medians over {len(rounds)} round(s), (min–max) across rounds; Δ = median of the per-round differences to A'
          ' (same round), [min…max] of those differences.\n')
    lines = ['| measure | ' + ' | '.join(f'{k}: {v}' for k, v in VARIANTS.items()) + ' | Δ B−A | Δ C−A | goal |',
             '| --- | --- | --- | --- | --- | --- | --- |']
    for metric, label, fmt, goal in ROWS:
        cells = [spread(list(raw.get((v, metric), {}).values()), fmt) for v in VARIANTS]
        relative = metric in ('warmup_cpu_per_call_us', 'cpu_per_call_us', 'calls_per_s')
        deltas = ['' if metric == 'others_pct' else paired_delta(raw, v, metric, fmt, relative) for v in ('B', 'C')]
        lines.append(f'| {label} | ' + ' | '.join(cells + deltas) + f' | {goal} |')
    if any(v in VARIANTS for v, _ in raw):  # not with --attach-ab, which runs D and D0 only
        print('\n'.join(lines))

    if any(metric.startswith('percall_') for _, metric in raw):
        print('\nWhere the server\'s CPU goes, by thread (/proc/<pid>/task/*/stat): at the first answered `initialize`,'
              ' and per fast `tools/call` after warm-up:\n')
        print('| threads | ' + ' | '.join(f'{k}: {v}' for k, v in VARIANTS.items()) + ' | Δ B−A | Δ C−A |')
        print('| --- | --- | --- | --- | --- | --- |')
        for prefix, suffix, fmt, what in (('init_cpu_', '_s', '{:.2f} s', 'at initialize'),
                                          ('percall_', '_us', '{:.0f} µs', 'per call')):
            for group, label in GROUP_LABELS.items():
                metric = prefix + group + suffix
                cells = [spread(list(raw.get((v, metric), {}).values()), fmt) for v in VARIANTS]
                deltas = [paired_delta(raw, v, metric, fmt) for v in ('B', 'C')]
                print(f'| {what}: {label} | ' + ' | '.join(cells + deltas) + ' |')

    attach = [v for v in ('D', 'D0') if any(variant == v for variant, _ in raw)]
    if attach:
        # D0 is --attach-ab's other jar: the same runs, alternated, with the jar the change is measured against
        print('\nAttach (server started without the agent, one client thread calling `get_forecast` back to back):\n')
        names = {'D': 'this agent', 'D0': 'the --attach-ab jar'}
        print('| measure | ' + ' | '.join(names[v] + ', median (min–max)' for v in attach) + ' | goal |')
        print('| --- | ' + ' | '.join('---' for _ in attach) + ' | --- |')
        for metric, label, goal in ATTACH_ROWS:
            cells = [spread(list(raw.get((v, metric), {}).values()), "{:.0f} ms") for v in attach]
            print(f'| {label} | ' + ' | '.join(cells) + f' | {goal} |')
        others = [spread(list(raw.get((v, 'others_pct'), {}).values()), '{:.0f} %') for v in attach]
        if any(o != '–' for o in others):
            print("| others' CPU during the run (mean) | " + ' | '.join(others) + ' | |')

    if any(v in ('A0', 'B0', 'As', 'Bs') for v, _ in raw):
        print('\nClass-data sharing: launch → first answered `initialize` (the same probe):\n')
        print('| server | launch → initialize | Δ to "without agent, default CDS" | CPU at initialize |')
        print('| --- | --- | --- | --- |')
        for variant, label in CDS_VARIANTS.items():
            if (variant, 'init_ms') in raw:
                print(f'| {label} | {spread(list(raw[(variant, "init_ms")].values()), "{:.0f} ms")} | '
                      f'{paired_delta(raw, variant, "init_ms", "{:.0f} ms") if variant != "A" else ""} | '
                      f'{spread(list(raw[(variant, "init_cpu_s")].values()), "{:.2f} s")} |')


def census_table(directory):
    census = os.path.join(directory, 'census.tsv')
    if os.path.exists(census):
        print('\nClasses loaded by the first answered `tools/call` (one launch each with `-Xlog:class+load`):\n')
        print('| server | classes | from a CDS archive | of which not the JDK\'s | agent\'s | of which Byte Buddy | JTokkit'
              ' | MCP SDK |')
        print('| --- | --- | --- | --- | --- | --- | --- | --- |')
        for line in open(census):
            variant, *values = line.split()
            counts = dict(v.split('=') for v in values)
            print(f'| {CDS_VARIANTS.get(variant, variant)} | {counts["classes"]} | {counts["shared"]} | '
                  f'{counts["shared_app"]} | {counts["agent"]} | '
                  f'{counts["bytebuddy"]} | {counts["jtokkit"]} | {counts["sdk"]} |')


def histogram_delta(directory, rounds):
    hist_dir = os.path.join(directory, 'hist')
    if not os.path.isdir(hist_dir):
        return
    per = {'A': [], 'B': []}
    for name in sorted(os.listdir(hist_dir)):
        r, variant = os.path.splitext(name)[0].split('-')
        if variant in per and int(r) in rounds:
            per[variant].append(read_histogram(os.path.join(hist_dir, name))[0])
    if not per['A'] or not per['B']:
        return
    names = set().union(*per['A'], *per['B'])
    delta = {n: statistics.median([h.get(n, 0) for h in per['B']]) - statistics.median([h.get(n, 0) for h in per['A']])
             for n in names}
    top = sorted(delta.items(), key=lambda kv: -kv[1])[:12]
    print('\nLive heap, B − A by class (median bytes over the rounds of each; top 12):\n')
    print('| class | Δ bytes |\n| --- | --- |')
    for name, d in top:
        print(f'| `{name}` | {d / 1e6:+.2f} MB |')
    print(f'| (all classes) | {sum(delta.values()) / 1e6:+.2f} MB |')


def main(argv):
    command = argv[0] if argv else ''
    if command == 'port':
        print(free_port())
    elif command == 'probe':
        probe(int(argv[1]), float(argv[2]), int(argv[3]), float(argv[4]))
    elif command == 'classes':
        classes(argv[1])
    elif command == 'histogram':
        print(f'total_bytes={read_histogram(argv[1])[1]}')
    elif command == 'load-threads':
        load_threads(argv[1])
    elif command == 'first-span':
        print(f'{first_span(argv[1]):.6f}')
    elif command == 'round-load':
        load = round_loads(load_raw(argv[1])).get(int(argv[2]), 0)
        print(f'{load:.0f} {"busy" if load > BUSY_PCT else "quiet"}')
    elif command == 'report':
        report(argv[1])
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
