"""transcite batch on Dask against the single-process CLI, on the same reference lines.

    python benchmarks/scale.py                          # 200,000 lines: CLI, 1 and 2 workers
    python benchmarks/scale.py --lines 20000 --runs 2   # a smaller input, 2 workers only

The input is the shared Russian corpus (../shared/data/russian-references: both sides of every
pair) repeated with perturbations (years, volumes and pages moved per copy, so no copy is a
cached repeat of another) up to ``--lines``. Every run does parse + normalise (every step but
dedupe) + render with the ``scopus`` profile (the GOST list and the References list):

* ``cli``: ``transcite parse``, ``transcite normalize --skip dedupe`` and ``transcite format
  --order input``, one process each (TRANSCITE_WORKERS=1), one after the other;
* ``1``, ``2``: ``transcite batch --workers N`` (a LocalCluster of N processes, started by the
  command and counted in its time).

Printed: wall time, records/s, peak memory (the CLI's largest process; each worker's, from
the shard markers), the load average around each run (the machine may be shared), and whether
the outputs are identical: the normalised items (ids aside) and both lists, entry by entry
(list numbers aside).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("TRANSCITE_SHARED_DATA", ROOT.parent / "shared" / "data")) \
    / "russian-references" / "references.jsonl"
TRANSCITE = [sys.executable, "-m", "transcite"]
PROFILE = "scopus"


def make_input(path: Path, lines: int) -> int:
    """Write ``lines`` reference lines; returns how many distinct source lines were used."""
    base: list[str] = []
    with CORPUS.open(encoding="utf-8") as fh:
        for row in fh:
            rec = json.loads(row)
            base += [" ".join(rec[k].split()) for k in ("cyrillic", "latin") if rec.get(k)]
    year = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
    number = re.compile(r"(?<=[ .,])(\d{1,4})(?=[–-]\d|[,.])")
    out = []
    copy = 0
    while len(out) < lines:
        for line in base:
            if copy:
                line = year.sub(lambda m, c=copy: str(int(m.group()) - c % 40), line)
                line = number.sub(lambda m, c=copy: str(int(m.group()) + c), line)
            out.append(line)
            if len(out) == lines:
                break
        copy += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return len(base)


def timed(cmd: list[str], stdout: Any = subprocess.DEVNULL) -> tuple[float, int, float]:
    """Run a command; (wall seconds, its peak memory in KiB, CPU seconds of it and of the
    processes it started and waited for)."""
    env = {**os.environ, "TRANSCITE_WORKERS": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return wall, int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


def run_cli(src: Path, work: Path) -> dict[str, Any]:
    parsed, normalised, listing = work / "parsed.json", work / "normalised.json", work / "cli.txt"
    t1, m1, c1 = timed([*TRANSCITE, "parse", str(src), "-o", str(parsed)])
    t2, m2, c2 = timed([*TRANSCITE, "normalize", str(parsed), "--skip", "dedupe", "--profile",
                        PROFILE, "-o", str(normalised)])
    with listing.open("wb") as out:
        t3, m3, c3 = timed([*TRANSCITE, "format", str(normalised), "--profile", PROFILE,
                            "--order", "input"], stdout=out)
    return {"seconds": t1 + t2 + t3, "steps": (t1, t2, t3), "memory": max(m1, m2, m3),
            "cpu": c1 + c2 + c3, "normalised": normalised, "listing": listing}


def run_batch(src: Path, work: Path, workers: int) -> dict[str, Any]:
    out = work / f"batch-{workers}"
    seconds, _, cpu = timed([*TRANSCITE, "batch", str(src), "-o", str(out), "--profile",
                             PROFILE, "--workers", str(workers), "--blocksize", "1MiB"])
    peaks: dict[str, int] = {}
    for marker in (out / "_done").glob("*.json"):
        m = json.loads(marker.read_text(encoding="utf-8"))
        peaks[m["worker"]] = max(peaks.get(m["worker"], 0), int(m["peak_memory_kib"]))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"seconds": seconds, "memory": peaks, "out": out, "shards": len(manifest["shards"]),
            "cpu": cpu, "task_cpu": sum(float(m.get("cpu_seconds", 0)) for m in (
                json.loads(p.read_text(encoding="utf-8")) for p in (out / "_done").glob("*.json")))}


def batch_records(out: Path) -> Any:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for shard in manifest["shards"]:
        with (out / shard["output"]).open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def compare(cli: dict[str, Any], out: Path) -> tuple[int, int]:
    """(records compared, records that differ) between the CLI's outputs and a batch's."""
    from transcite.batch import strip_label

    items = json.loads(cli["normalised"].read_text(encoding="utf-8"))
    text = cli["listing"].read_text(encoding="utf-8")
    original, _, references = text.partition("\n\nReferences\n")
    lists = {"original": original.split("\n")[1:], "references": references.rstrip(
        "\n").split("\n")}
    differ = n = 0
    for n, record in enumerate(batch_records(out)):
        item = {k: v for k, v in items[n].items() if k != "id"}
        same = item == {k: v for k, v in (record["normalised"] or {}).items() if k != "id"}
        for view, entries in lists.items():
            same = same and record["rendered"][f"{PROFILE}.{view}"] == strip_label(
                entries[n], n + 1)
        differ += not same
    count = n + 1
    if count != len(items) or any(len(v) != len(items) for v in lists.values()):
        differ += abs(count - len(items)) or 1
    return count, differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", default="cli,1,2", help="cli, 1, 2 (comma-separated)")
    parser.add_argument("--keep", help="keep the inputs and outputs in this folder")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} is not available")
        return
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    work = Path(args.keep or tempfile.mkdtemp(prefix="transcite-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "lines.txt"
    distinct = make_input(src, args.lines)
    print(f"{args.lines:,} lines ({distinct:,} distinct corpus lines, perturbed per copy), "
          f"{src.stat().st_size / 2**20:.1f} MiB; profile {PROFILE}; {os.cpu_count()} cores")
    results: dict[str, dict[str, Any]] = {}
    for name in runs:
        before = os.getloadavg()[0]
        results[name] = run_cli(src, work) if name == "cli" else run_batch(src, work, int(name))
        after = os.getloadavg()[0]
        r = results[name]
        memory = (f"peak {r['memory'] / 1024:.0f} MiB" if name == "cli" else
                  "peak per worker " + ", ".join(f"{v / 1024:.0f}" for v in sorted(
                      r["memory"].values())) + f" MiB ({r['shards']} shards)")
        label = "single-process CLI" if name == "cli" else f"batch, {name} worker(s)"
        print(f"{label:<22} {r['seconds']:8.1f} s  {args.lines / r['seconds']:8.0f} records/s"
              f"  {memory}  load {before:.1f} -> {after:.1f}")
        cpu = r["cpu"]
        tasks = f", in the shard tasks {r['task_cpu']:.0f} s" if r.get("task_cpu") else ""
        print(f"  CPU {cpu:.0f} s ({args.lines / cpu:.0f} records per CPU-second{tasks})")
        if name == "cli":
            print("  (parse {:.1f} s, normalize {:.1f} s, format {:.1f} s)".format(*r["steps"]))
    if "1" in results and "2" in results:
        print(f"speed-up 1 -> 2 workers: {results['1']['seconds'] / results['2']['seconds']:.2f}x")
    if "cli" in results and "2" in results:
        print(f"2 workers against the CLI: "
              f"{results['cli']['seconds'] / results['2']['seconds']:.2f}x")
    if "cli" in results:
        for name in runs:
            if name != "cli":
                count, differ = compare(results["cli"], results[name]["out"])
                print(f"identical to the CLI, batch {name}: {count - differ:,} of {count:,} "
                      f"records ({differ} differ)")
    if not args.keep:
        print(f"(work files in {work})")


if __name__ == "__main__":
    main()
