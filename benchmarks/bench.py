"""Whole-process timings of transcite beside its peers, on the same generated libraries.

    python benchmarks/bench.py                          # 1,000 and 10,000 entries, APA and GOST
    python benchmarks/bench.py --entries 50 --entries 300 --repeat 5
    python benchmarks/bench.py --entries 100000 --style gost --repeat 1
    python benchmarks/bench.py --startup                # `transcite --help`, one-entry format
    python benchmarks/bench.py --library refs.bib --style gost --peers refkit   # your library
    python benchmarks/bench.py --real 300 --style gost  # a real Russian list (../shared/data)

Every run is a fresh process, timed from start to exit, with its CPU time (user + system, its
workers included) and the peak resident memory of its largest process (os.wait4). transcite
runs its real end-to-end job - ``transcite format lib.bib --style STYLE --normalise`` (BibTeX
in, normalised, text out) - four times over: as the first run (an empty cache folder before
every run: the style compiled - or, from an installed wheel, loaded from the package, which
holds the shipped styles compiled - the library read and normalised), as the first run of a
style (only the compiled styles emptied: the library read before, from the cache), as a run
after the library was edited (the compiled style read from the cache, see
transcite.compiled; the library read and normalised again: one entry of the file is changed
before every run, as an author edits it - the results kept for its other entries are taken,
see transcite.readers.entries) and as a later run (the style and the library read from the
cache, see transcite.readers.cache). The first line says which installation is timed. Its package
is byte-compiled first, as an installed wheel is (an editable install under
PYTHONDONTWRITEBYTECODE would compile every module on every run). The peers, where
installed, format the same library in the same CSL style:

- pandoc's citeproc (``pip install '.[bench]'`` ships pandoc through pypandoc-binary), from the
  same BibTeX file with every entry cited (``nocite: '@*'``);
- refkit (``pip install '.[bench]'``), from the same BibTeX file;
- citeproc-js, Zotero's engine (``npm install --prefix benchmarks/js``), from the same library
  as CSL-JSON (it reads no BibTeX);
- citeproc-py as is (``--peers citeproc-py``; slow: minutes at 10,000 entries), CSL-JSON.

``--library FILE.bib`` times a BibTeX file of one's own instead of the generated libraries
(citeproc-js and citeproc-py get it as CSL-JSON, converted by ``transcite convert``); the
first column then shows its name. A real Russian list is the case the generated ones miss:
romanised titles and names whose Cyrillic ``--normalise`` rebuilds. ``--real N`` makes one:
the first N references of ../shared/data/russian-references (a Russian journal's printed
lists: the Russian line where the list has one, else the romanised line), parsed into BibTeX
by ``transcite parse``; it is skipped, with a message, where that data is absent.

The ratios printed are transcite's median wall time over the fastest peer's median in this run
(below 1.0: transcite is faster), for each of its four runs. A run over ``--timeout``
seconds is stopped and shown as such. Nothing is asserted; the figures are printed, with the
machine's load average (other work on the machine slows every engine's wall time; CPU times
move less).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

STYLES = {"apa": "apa", "gost": "gost-r-7-0-5-2008"}
#: transcite's rows: the first run (nothing cached), the first run of a style (the library
#: read before, from the cache; the style not), a run after the library was edited (the style
#: from the cache, the library read), a later run (style and library from the cache).
FIRST, NEW_STYLE, EDITED, LATER = ("transcite 1st", "transcite style", "transcite edit",
                                   "transcite 2nd")
ROWS = (FIRST, NEW_STYLE, EDITED, LATER)
PEERS = ("pandoc", "refkit", "citeproc-js", "citeproc-py")
DEFAULT_PEERS = ("pandoc", "refkit", "citeproc-js")
JS_DRIVER = ROOT / "benchmarks" / "js" / "citeproc-js.js"


class Run:
    """One timed process: seconds (None: it did not finish), peak resident memory (MiB),
    output lines, why it did not finish ("timeout", "exit N") and CPU seconds."""

    def __init__(self, seconds: float | None, peak_mib: float, lines: int,
                 failure: str = "", cpu: float = 0.0) -> None:
        self.seconds, self.peak_mib, self.lines = seconds, peak_mib, lines
        self.failure = failure
        self.cpu = cpu


def timed(cmd: list[str], timeout: float, stdin: str | None = None,
          ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` with its output to a file; wall time, CPU time and the peak RSS the kernel
    reports (an exit status outside ``ok`` is a failure)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin.encode("utf-8"))
            inp.seek(0)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=inp, stdout=out, stderr=subprocess.DEVNULL,
                                start_new_session=True,
                                env={**os.environ, **env} if env else None)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                return Run(None, 0.0, 0, "timeout")
            time.sleep(0.002)
        took = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = sum(1 for line in out if line.strip())
        cpu = usage.ru_utime + usage.ru_stime
        if proc.returncode not in ok:
            return Run(None, usage.ru_maxrss / 1024, lines, f"exit {proc.returncode}", cpu)
        return Run(took, usage.ru_maxrss / 1024, lines, cpu=cpu)


def pandoc_path() -> str | None:
    """pandoc from pypandoc-binary, else on PATH."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return shutil.which("pandoc")


def transcite_exe() -> list[str]:
    """The installed console script (else ``python -m transcite``)."""
    exe = Path(sys.executable).with_name("transcite")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "transcite"]


def commands(style: str, bib: Path, items: Path, peers: list[str]
             ) -> dict[str, tuple[list[str], str | None]]:
    """The command (and standard input) of every engine that is installed (transcite's three
    times: its first run, a run after an edit of the library, a later run)."""
    from transcite.render.styles import resolve_style

    csl = str(resolve_style(style).path)
    ours = [*transcite_exe(), "format", str(bib), "--style", style, "--normalise"]
    out: dict[str, tuple[list[str], str | None]] = {row: (ours, None) for row in ROWS}
    pandoc = pandoc_path() if "pandoc" in peers else None
    if pandoc:
        out["pandoc"] = ([pandoc, "--citeproc", "--csl", csl, "--bibliography", str(bib),
                          "-f", "markdown", "-t", "plain", "--wrap=none"],
                         "---\nnocite: '@*'\n---\n")
    if "refkit" in peers and _importable("refkit"):
        out["refkit"] = ([sys.executable, __file__, "--peer", "refkit", csl, str(bib)], None)
    if "citeproc-js" in peers and shutil.which("node") and (
            JS_DRIVER.parent / "node_modules" / "citeproc").is_dir():
        out["citeproc-js"] = (["node", str(JS_DRIVER), csl, str(ROOT / "styles" / "locales"),
                               str(items)], None)
    if "citeproc-py" in peers:
        out["citeproc-py"] = ([sys.executable, __file__, "--peer", "citeproc-py", csl,
                               str(items)], None)
    return out


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def run_peer(name: str, csl: str, data: str) -> None:
    """In a fresh process: render ``data`` with a Python peer, entries one per line."""
    if name == "refkit":
        import refkit as rk

        lib = rk.Library.read(data, recovery="report")     # as transcite: report, go on
        text = rk.Document(lib, rk.Style.from_path(csl)).full_bibliography().text
        sys.stdout.write(text + "\n")
        return
    from speed import citeproc_py_bibliography

    items = json.loads(Path(data).read_text(encoding="utf-8"))
    sys.stdout.write("".join(f"{entry}\n" for entry in citeproc_py_bibliography(csl, items)))


def median_run(cmd: list[str], stdin: str | None, repeat: int, timeout: float,
               ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None,
               before: Callable[[], None] | None = None) -> Run:
    """The median of ``repeat`` runs (a failure ends the series); ``before`` is called before
    each of them."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        run = timed(cmd, timeout, stdin, ok, env)
        if run.seconds is None:
            return run
        runs.append(run)
    return Run(statistics.median(r.seconds for r in runs if r.seconds is not None),
               max(r.peak_mib for r in runs), runs[0].lines,
               cpu=statistics.median(r.cpu for r in runs))


def library(entries: int, seed: int, folder: Path) -> tuple[Path, Path]:
    """The generated library as BibTeX and as CSL-JSON (same entries, same ids), written by
    a separate process: Linux counts the memory of the process an engine is started from in
    the engine's peak (a fork starts as large as its parent, and ``execve`` keeps that
    high-water mark), so this process must not grow by holding the library."""
    out = {}
    for fmt, suffix in (("bibtex", "bib"), ("csl-json", "json")):
        path = folder / f"lib-{entries}.{suffix}"
        with open(path, "wb") as fh:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"),
                            "--entries", str(entries), "--seed", str(seed), "--format", fmt],
                           stdout=fh, check=True)
        out[fmt] = path
    return out["bibtex"], out["csl-json"]


#: The head of the first entry with a key (and the note an earlier edit gave it).
_FIRST_ENTRY = re.compile(r"(@(?!string|comment|preamble)\w+\{[^,\n{}]+,\n)"
                          r"(  note = \{edit \d+\},\n)?", re.I)


def own_library(given: Path, folder: Path) -> tuple[Path, Path]:
    """A copy of a BibTeX file of one's own (the edit runs change it), and the same as
    CSL-JSON (for the engines that read no BibTeX), converted by transcite in a separate
    process (see :func:`library`)."""
    bib = folder / given.name
    shutil.copyfile(given, bib)
    items = folder / f"{bib.stem}.json"
    with open(items, "wb") as fh:
        subprocess.run([*transcite_exe(), "convert", str(bib), "-t", "csl-json"], stdout=fh,
                       stderr=subprocess.DEVNULL, check=False)
    return bib, items


SHARED = Path(os.environ.get("TRANSCITE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def real_library(n: int, folder: Path) -> Path | None:
    """The first ``n`` references of the Russian journal's lists in ../shared/data, parsed into
    BibTeX by ``transcite parse`` (None when that data is absent)."""
    source = SHARED / "russian-references" / "references.jsonl"
    if not source.is_file():
        return None
    lines = []
    with open(source, encoding="utf-8") as fh:
        for row in fh:
            ref = json.loads(row)
            text = (ref.get("cyrillic") or ref.get("latin") or "").replace("\n", " ").strip()
            if text:
                lines.append(text)
            if len(lines) == n:
                break
    text_file = folder / f"real-{n}.txt"
    text_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bib = folder / f"real-{n}.bib"
    subprocess.run([*transcite_exe(), "parse", str(text_file), "-t", "bibtex", "-o", str(bib)],
                   stderr=subprocess.DEVNULL, check=False)
    return bib if bib.is_file() else None


def compare(entries: list[int], styles: list[str], peers: list[str], repeat: int, seed: int,
            timeout: float, say: Callable[[str], None] = print,
            files: list[Path] | None = None) -> None:
    """The side-by-side table (of generated libraries of ``entries`` sizes, or of ``files``)."""
    say(f"{'entries':>8} {'style':<6} {'engine':<15} {'median s':>9} {'cpu s':>7} "
        f"{'peak MiB':>9} {'entries out':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {"TRANSCITE_CACHE": str(cache), "TRANSCITE_NO_CACHE": "0"}

        def empty() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        edits = [0]

        def edited() -> None:       # one entry of the library changed, as an author does
            edits[0] += 1
            text = bib.read_text(encoding="utf-8")
            bib.write_text(_FIRST_ENTRY.sub(rf"\1  note = {{edit {edits[0]}}},\n", text, count=1),
                           encoding="utf-8")

        def new_style() -> None:    # the compiled styles only
            shutil.rmtree(cache / "compiled" / "styles", ignore_errors=True)

        sources: list[str | Path] = list(files) if files else [str(n) for n in entries]
        for source in sources:
            if isinstance(source, Path):
                n = source.stem
                bib, items = own_library(source, Path(tmp))
            else:
                n = source
                bib, items = library(int(source), seed, Path(tmp))
            for style in styles:
                results: dict[str, Run] = {}
                for engine, (cmd, stdin) in commands(STYLES[style], bib, items, peers).items():
                    # transcite exits 1 when it reports problems in the input
                    ok = (0, 1) if engine.startswith("transcite") else (0,)
                    if engine == FIRST:
                        run = median_run(cmd, stdin, repeat, timeout, ok, env, before=empty)
                    elif engine == NEW_STYLE:
                        timed(cmd, timeout, stdin, ok, env)     # stores the library
                        run = median_run(cmd, stdin, repeat, timeout, ok, env,
                                         before=new_style)
                    elif engine == EDITED:
                        timed(cmd, timeout, stdin, ok, env)     # stores the compiled style
                        run = median_run(cmd, stdin, repeat, timeout, ok, env, before=edited)
                    elif engine == LATER:
                        timed(cmd, timeout, stdin, ok, env)     # stores style and library
                        run = median_run(cmd, stdin, repeat, timeout, ok, env)
                    else:
                        run = median_run(cmd, stdin, repeat, timeout, ok)
                    results[engine] = run
                    secs = (f"{run.seconds:9.2f}" if run.seconds is not None else
                            f"{'>' + str(int(timeout)):>9}" if run.failure == "timeout" else
                            f"{run.failure:>9}")
                    say(f"{n:>8} {style:<6} {engine:<15} {secs} {run.cpu:7.2f} "
                        f"{run.peak_mib:9.0f} {run.lines:>11}")
                done = {k: r.seconds for k, r in results.items()
                        if not k.startswith("transcite") and r.seconds is not None}
                for ours in ROWS:
                    mine = results[ours].seconds
                    if mine is not None and done:
                        best = min(done, key=lambda k: done[k])
                        say(f"{'':>8} {style:<6} ratio {ours} / fastest peer ({best}): "
                            f"{mine / done[best]:.2f}")
                    elif mine is not None:
                        say(f"{'':>8} {style:<6} no peer finished within {timeout:.0f} s")


def startup(repeat: int) -> None:
    """Medians of ``transcite --help`` and a one-entry ``format`` (the style from the cache)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {"TRANSCITE_CACHE": str(Path(tmp) / "cache"), "TRANSCITE_NO_CACHE": "0"}
        one, _ = library(1, 1, Path(tmp))
        for label, cmd in (("transcite --help", [*transcite_exe(), "--help"]),
                           ("one-entry format", [*transcite_exe(), "format", str(one),
                                                 "--style", "gost-r-7-0-5-2008"])):
            timed(cmd, 60, ok=(0, 1), env=env)      # warm the file cache and the style cache
            run = median_run(cmd, None, repeat, 60, ok=(0, 1), env=env)
            print(f"{label:<18} median {run.seconds:.3f} s (cpu {run.cpu:.3f} s) over {repeat} "
                  f"runs, peak {run.peak_mib:.0f} MiB")


def compile_package() -> None:
    """Byte-compile transcite's modules, as installing the wheel does."""
    import compileall

    import transcite

    compileall.compile_dir(str(Path(transcite.__file__).parent), quiet=1)


def installation() -> str:
    """How the transcite timed is installed: a wheel holds its shipped styles compiled
    (transcite.compiled.shipped_folder); a source checkout compiles them on a first run."""
    from transcite import __file__ as where
    from transcite.compiled import shipped_folder
    from transcite.render.csl.native import is_compiled

    engine = "the engine compiled by mypyc" if is_compiled() else "the engine as Python"
    if (shipped_folder() / "styles").is_dir():
        return (f"installed wheel, shipped styles compiled in the package, {engine} "
                f"({Path(where).parent})")
    return f"source checkout, styles compiled on their first run, {engine} ({Path(where).parent})"


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, action="append", help="library sizes "
                    "(default: 1000 and 10000)")
    ap.add_argument("--style", action="append", choices=sorted(STYLES))
    ap.add_argument("--peers", default=",".join(DEFAULT_PEERS),
                    help=f"comma-separated, of {', '.join(PEERS)} (or 'none')")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a run may take")
    ap.add_argument("--startup", action="store_true", help="start-up times only")
    ap.add_argument("--library", type=Path, action="append",
                    help="a BibTeX file of one's own to time instead of generated ones")
    ap.add_argument("--real", type=int, action="append",
                    help="time the first N references of a real Russian list instead "
                         "(../shared/data/russian-references, parsed)")
    ap.add_argument("--peer", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer:
        run_peer(*args.peer)
        return 0
    compile_package()
    if args.startup:
        print(f"load average before: {load()}")
        startup(max(args.repeat, 10))
        print(f"load average after: {load()}")
        return 0
    peers = [p for p in args.peers.split(",") if p in PEERS]
    print(f"cores: {len(os.sched_getaffinity(0))}; peers asked: {', '.join(peers) or 'none'}; "
          f"load average: {load()}")
    print(f"transcite: {installation()}")
    missing = [f for f in args.library or [] if not f.is_file()]
    if missing:
        ap.error(f"no such file: {missing[0]}")
    files = list(args.library or [])
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.real or []:
            bib = real_library(n, Path(tmp))
            if bib is None:
                print(f"--real {n}: {SHARED / 'russian-references'} is not available; skipped")
                continue
            files.append(bib)
        if (args.library or args.real) and not files:
            return 0
        compare(args.entries or [1000, 10000], args.style or ["apa", "gost"], peers,
                args.repeat, args.seed, args.timeout, files=files)
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
