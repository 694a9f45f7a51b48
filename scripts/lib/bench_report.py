"""Summarises the dnsperf runs of scripts/bench-dns as a Markdown table.

Usage: bench_report.py WORKDIR ROUNDS SECONDS CLIENTS OUTSTANDING
Reads WORKDIR/{ours,nsd}-N.txt (dnsperf -v output: one `> RCODE NAME TYPE LATENCY` line per
answered query, then the statistics) and prints per-round and median figures.
"""
import re
import statistics
import sys


def parse(path):
    latencies = []
    qps = lost = avg = None
    with open(path) as f:
        for line in f:
            if line.startswith("> "):
                latencies.append(float(line.split()[-1]))
            elif "Queries per second:" in line:
                qps = float(line.split(":")[1])
            elif "Queries lost:" in line:
                lost = int(line.split(":")[1].split()[0])
            elif "Average Latency (s):" in line:
                avg = float(re.search(r":\s+([0-9.]+)", line).group(1))
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan")
    return {"qps": qps, "avg_ms": avg * 1000, "p99_ms": p99 * 1000, "lost": lost, "answered": len(latencies)}


def main():
    work, rounds = sys.argv[1], int(sys.argv[2])
    seconds, clients, outstanding = sys.argv[3:6]
    runs = {name: [parse(f"{work}/{name}-{r}.txt") for r in range(1, rounds + 1)] for name in ("ours", "nsd")}
    print(f"dnsperf -l {seconds} -c {clients} -q {outstanding}, {rounds} alternating rounds\n")
    print("| server | round | queries/s | avg latency (ms) | p99 latency (ms) | lost |")
    print("|---|---|---|---|---|---|")
    for name, label in (("ours", "Summoner dns-testserver"), ("nsd", "NSD")):
        for index, run in enumerate(runs[name], 1):
            print(f"| {label} | {index} | {run['qps']:.0f} | {run['avg_ms']:.3f} | {run['p99_ms']:.3f} | {run['lost']} |")
    medians = {name: {key: statistics.median(r[key] for r in runs[name]) for key in ("qps", "avg_ms", "p99_ms")}
               for name in runs}
    for name, label in (("ours", "Summoner dns-testserver"), ("nsd", "NSD")):
        m = medians[name]
        print(f"| **{label}** | median | **{m['qps']:.0f}** | {m['avg_ms']:.3f} | {m['p99_ms']:.3f} | |")
    print(f"\nThroughput ratio (median, ours / NSD): **{medians['ours']['qps'] / medians['nsd']['qps']:.2f}**")
    fixed_cpu(work, seconds, rounds)


def fixed_cpu(work, seconds, rounds):
    """Server CPU per answered query in the fixed-rate runs, from /proc ticks (10 ms each)."""
    rate = open(f"{work}/fixed-rate").read().strip()
    print(f"\nFixed rate {rate} q/s for {seconds} s, server CPU time (user + system) per answered query, "
          f"{rounds} rounds interleaved:\n")
    print("| server | CPU per query by round (µs) | median (µs) | lost |")
    print("|---|---|---|---|")
    medians = {}
    labels = (("ours", "Summoner dns-testserver"), ("floor", "SwiftNIO echo, no DNS (`--nio-floor`)"), ("nsd", "NSD"))
    for name, label in labels:
        values, lost = [], 0
        for r in range(1, rounds + 1):
            ticks = int(open(f"{work}/{name}-{r}-fixed.ticks").read())
            text = open(f"{work}/{name}-{r}-fixed.txt").read()
            answered = int(re.search(r"Queries completed:\s+(\d+)", text).group(1))
            lost += int(re.search(r"Queries lost:\s+(\d+)", text).group(1))
            values.append(ticks / 100 / max(answered, 1) * 1e6)
        medians[name] = statistics.median(values)
        print(f"| {label} | {', '.join(f'{v:.1f}' for v in values)} | **{medians[name]:.1f}** | {lost} |")
    print(f"\nCPU per query (medians): ours / NSD **{medians['ours'] / medians['nsd']:.2f}**, "
          f"NIO floor / NSD **{medians['floor'] / medians['nsd']:.2f}**, "
          f"our DNS work above the floor **{medians['ours'] - medians['floor']:.1f} µs** per query")


if __name__ == "__main__":
    main()
