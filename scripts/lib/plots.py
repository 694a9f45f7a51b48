"""PNG plots for BENCHMARKS.md, drawn with matplotlib (Debian's python3-matplotlib).

Run as a program so that the benchmarks work under any python3 while the plot uses the one
Debian's package is built for:

    /usr/bin/python3 scripts/lib/plots.py cdf OUT.png TITLE XLABEL < series.json
    /usr/bin/python3 scripts/lib/plots.py density OUT.png < rows.json

series.json: [[label, [milliseconds, ...]], ...]; rows.json: the rows scripts/bench-density
measures. Exits 3 when matplotlib is missing.
"""
import json
import subprocess
import sys
from pathlib import Path


def draw_cdf(series, path, title, xlabel):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=110)
    for label, samples in series:
        ordered = sorted(samples)
        axes.step(ordered, [(i + 1) / len(ordered) for i in range(len(ordered))], where="post", label=label)
    axes.set_xscale("log")
    axes.set_xlabel(xlabel)
    axes.set_ylabel("fraction of lookups")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(loc="center")
    axes.set_title(title)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path)


def draw_density(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, (memory, latency) = plt.subplots(1, 2, figsize=(10, 4), dpi=110)
    counts = [r["instances"] for r in rows]
    memory.plot(counts, [r["pss_per_instance_mib"] for r in rows], marker="o", label="PSS per instance (MiB)")
    memory.plot(counts, [r["cpu_percent_per_instance"] * 100 for r in rows], marker="s",
                label="idle CPU per instance (% of a core x100)")
    memory.set_xlabel("live idle instances")
    memory.grid(True, alpha=0.3)
    memory.legend()
    memory.set_title("Cost per instance")
    latency.plot(counts, [r["live_lookup_ms"] for r in rows], marker="o", label="live lookup (median ms)")
    latency.plot(counts, [r["cold_summon_ms"] or float("nan") for r in rows], marker="s", label="cold summon (ms)")
    latency.set_yscale("log")
    latency.set_xlabel("live idle instances")
    latency.grid(True, which="both", alpha=0.3)
    latency.legend()
    latency.set_title("Lookup latency at each density")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path)


def cdf(series, path, title, xlabel):
    """Draws the CDF through Debian's python3 (or this one); True when the PNG was written."""
    python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    result = subprocess.run([python, __file__, "cdf", str(path), title, xlabel], input=json.dumps(series),
                            text=True, capture_output=True)
    if result.returncode != 0:
        print(f"plots: no plot ({result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode})",
              file=sys.stderr)
    return result.returncode == 0


if __name__ == "__main__":
    if sys.argv[1] not in ("cdf", "density"):
        sys.exit(f"plots: unknown plot {sys.argv[1]}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        sys.exit(3)
    if sys.argv[1] == "cdf":
        draw_cdf(json.load(sys.stdin), sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        draw_density(json.load(sys.stdin), sys.argv[2])
