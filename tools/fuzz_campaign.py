"""Long fuzz campaigns: the checks of tests/test_fuzz.py and more, run for as long as asked, each
input in a forked worker with a time limit, so that a hang is counted (and the worker replaced)
rather than waited for.

    python tools/fuzz_campaign.py                          # every campaign, 300 runs each
    python tools/fuzz_campaign.py --runs 5000 --limit 20   # longer, 20 s per input at most
    python tools/fuzz_campaign.py --campaign network --campaign writes --report out.json

Campaigns (inputs seeded from tests/data: every bibliography there, the Pandoc ASTs, the
shipped styles and profiles):

* ``readers``: mutated files and hostile text through every reader, then every writer;
* ``readers-writers``: what each reader makes of a mutated file, written in every format and
  read back: anything changed is data loss;
* ``round-trips``: generated hostile libraries (hypothesis) through every writer and reader,
  and through a chain of four formats;
* ``normalize``: normalize run twice (generated libraries, mutated files, every format):
  the second run must change nothing;
* ``network``: Crossref lookups against a local server answering in each of its broken ways
  (tests/faults.py), then ``enrich`` over a mix: every reference must come back;
* ``writes``: a file written by another process killed at a random moment by a random signal:
  the old file or the new one, never a piece, and no temporary file left;
* ``styles``, ``profiles``, ``asts``: mutated CSL styles, journal profiles and Pandoc ASTs.

The table printed at the end counts per campaign: runs, tracebacks, hangs (past ``--limit``)
and data-loss cases. Nothing is excused: what a format has no place for (RIS's types, its one
SN tag, split keywords; BibTeX's one number field and one "von" part) goes along in its notes
or its transcite-custom field and must come back exactly.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import fuzzing as F  # noqa: E402

WRITERS = {"csl-json": "csl-json", "csl-yaml": "csl-yaml", "biblatex": "bibtex",
           "bibtex": "bibtex", "ris": "ris"}
READERS = ["bibtex", "csl-json", "csl-yaml", "ris", "text"]


# -- checks (run in the worker; return "ok", "loss: ..." or raise) ---------------------------

def _compare(fmt: str, before: list[Any], after: list[Any]) -> str:
    loose = fmt in ("biblatex", "bibtex", "ris")
    a = [F.picture(r, loose=loose) for r in before]
    b = [F.picture(r, loose=loose) for r in after]
    if a == b:
        return "ok"
    if len(a) != len(b):
        return f"loss: {len(a)} references became {len(b)}"
    x, y = next((x, y) for x, y in zip(a, b) if x != y)
    key = next(k for k in x if x[k] != y[k])
    return f"loss: {x['id']}.{key}: {str(x[key])[:200]} -> {str(y[key])[:200]}"


def check_reader(payload: tuple[str, str]) -> str:
    from transcite.readers import read_string
    from transcite.writers import dumps

    fmt, text = payload
    lib = read_string(text, fmt)
    for writer in WRITERS:
        dumps(lib, writer)
    return "ok"


def check_reader_writer(payload: tuple[str, str]) -> str:
    from transcite.readers import read_string
    from transcite.writers import dumps

    fmt, text = payload
    lib = read_string(text, fmt)
    refs = list(lib)
    known = {p.code for p in lib.report if p.severity.value == "error"}
    worst = "ok"
    for writer, reader in WRITERS.items():
        back = read_string(dumps(refs, writer), reader)
        new = [p for p in back.report if p.severity.value == "error" and p.code not in known]
        if new:     # (a block kept as written reports again what it reported the first time)
            return f"loss: {writer} wrote what its reader reports: {new[0]}"
        verdict = _compare(writer, refs, list(back))
        if verdict.startswith("loss"):
            return f"{writer}: {verdict}"
        worst = verdict if verdict != "ok" else worst
    return worst


def check_round_trip(refs: list[Any]) -> str:
    from transcite.readers import read_string
    from transcite.writers import dumps

    worst = "ok"
    for writer, reader in WRITERS.items():
        back = read_string(dumps(refs, writer), reader)
        if back.report.has_errors:
            return f"loss: {writer} wrote what its reader reports: {back.report.problems[0]}"
        verdict = _compare(writer, refs, list(back))
        if verdict.startswith("loss"):
            return f"{writer}: {verdict}"
        worst = verdict if verdict != "ok" else worst
    lib: Any = refs
    for writer in ["biblatex", "csl-yaml", "ris", "csl-json"]:
        lib = read_string(dumps(lib, writer), WRITERS[writer])
    verdict = _compare("ris", refs, list(lib))
    if verdict == "ok":
        return worst
    kind, _, rest = verdict.partition(": ")
    return f"{kind}: chain of four formats: {rest}"


def check_normalize(payload: tuple[Any, str, str | None]) -> str:
    from transcite.normalisation import normalise
    from transcite.readers import read_string
    from transcite.writers import dumps

    source, writer, profile = payload
    lib = read_string(source[1], source[0]) if isinstance(source, tuple) else source
    text = dumps(lib, writer)
    once = dumps(normalise(read_string(text, WRITERS[writer]), profile=profile).library, writer)
    twice = dumps(normalise(read_string(once, WRITERS[writer]), profile=profile).library,
                  writer)
    if once == twice:
        return "ok"
    import difflib

    diff = [line for line in difflib.unified_diff(once.splitlines(), twice.splitlines(),
                                                   lineterm="", n=0) if line[:1] in "+-"]
    return "loss: the second run changed " + " / ".join(diff[2:4])[:300]


def check_style(text: str) -> str:
    from transcite.readers import read
    from transcite.render import UnknownStyle, resolve_style
    from transcite.render.lists import format_library

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "style.csl"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            info = resolve_style(str(path))
        except UnknownStyle as exc:
            assert "\n" not in str(exc)
            return "ok"
        from transcite.render.engine import RenderError

        lib = read(ROOT / "references" / "examples" / "russia-japan.bib")
        try:        # (the CLI and the filter report this one line, naming the style)
            format_library(lib, style=info).render("text")
        except RenderError as exc:
            assert "\n" not in str(exc)
    return "ok"


def check_profile(text: str) -> str:
    from transcite.profiles import load_profile
    from transcite.resources import DataError

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "journal.toml"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        try:
            load_profile(path)
        except DataError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
    return "ok"


def check_ast(payload: tuple[str, Any, str | None]) -> str:
    from transcite.pandoc import FilterError, filter_document

    base, doc, fmt = payload
    try:
        filter_document(doc, format=fmt, base=base)
    except FilterError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip()
    return "ok"


def check_network(payload: tuple[str, str, int]) -> str:
    from transcite.lookup.crossref import CrossrefClient, CrossrefError, CrossrefSettings

    url, doi, retries = payload
    with tempfile.TemporaryDirectory() as tmp:
        client = CrossrefClient(CrossrefSettings(
            base_url=url, cache_dir=Path(tmp), retries=retries, backoff=0.0, timeout=0.5,
            connect_timeout=0.5, deadline=1.0, max_wait=0.2, max_body=1 << 20),
            sleep=lambda s: None)
        try:
            client.work(doi)
        except CrossrefError:
            pass
    return "ok"


def check_enrich(payload: tuple[str, list[str]]) -> str:
    from transcite.enrich import enrich_library
    from transcite.lookup.crossref import CrossrefClient, CrossrefSettings
    from transcite.model import Library, Reference

    url, dois = payload
    lib = Library(Reference(f"r{i}", "article-journal", fields={"title": f"T{i}", "DOI": d})
                  for i, d in enumerate(dois))
    with tempfile.TemporaryDirectory() as tmp:
        client = CrossrefClient(CrossrefSettings(
            base_url=url, cache_dir=Path(tmp), retries=1, backoff=0.0, timeout=0.5,
            connect_timeout=0.5, deadline=1.0, max_wait=0.2, give_up_after=50),
            sleep=lambda s: None)
        enrich_library(lib, client=client, search=False)
    if len(lib) != len(dois) or any(r.fields.get("title") != f"T{i}"
                                    for i, r in enumerate(lib)):
        return "loss: enrich lost references or the user's titles"
    return "ok"


CHECKS: dict[str, Callable[[Any], str]] = {
    "reader": check_reader, "reader-writer": check_reader_writer,
    "round-trip": check_round_trip, "normalize": check_normalize, "style": check_style,
    "profile": check_profile, "ast": check_ast, "network": check_network,
    "enrich": check_enrich,
}


# -- the worker --------------------------------------------------------------------------------

def _serve(conn: Any) -> None:
    import logging

    logging.getLogger("bibtexparser").disabled = True
    while True:
        try:
            kind, payload = conn.recv()
        except EOFError:
            return
        try:
            verdict = CHECKS[kind](payload)
        except Exception:  # noqa: BLE001 - a traceback is what the campaign counts
            verdict = "traceback: " + traceback.format_exc(limit=6)[-1200:]
        conn.send(verdict)


def _keep(what: str, kind: str, payload: Any) -> None:
    """Save the input that failed (to run it again by hand) when TRANSCITE_FUZZ_KEEP names a
    folder."""
    if os.environ.get("TRANSCITE_FUZZ_KEEP"):
        import pickle

        keep = Path(os.environ["TRANSCITE_FUZZ_KEEP"])
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{what}-{kind}-{time.time_ns()}.pickle").write_bytes(
            pickle.dumps((kind, payload)))


class Worker:
    """A forked process running checks one at a time; replaced when one runs too long."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.proc.start()

    def run(self, kind: str, payload: Any, limit: float) -> str:
        try:
            self.conn.send((kind, payload))
        except (OSError, ValueError):
            self.restart()
            return "traceback: the worker died"
        if self.conn.poll(limit):
            try:
                verdict = str(self.conn.recv())
                if verdict.startswith("traceback"):
                    _keep("traceback", kind, payload)
                return verdict
            except EOFError:
                self.restart()
                return "traceback: the worker died (a crash outside Python?)"
        self.restart()
        _keep("hang", kind, payload)
        return f"hang: no answer within {limit:g} s"

    def restart(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self._start()

    def close(self) -> None:
        self.proc.kill()


# -- campaigns ---------------------------------------------------------------------------------

class Tally:
    """Counts of one campaign and a few examples of each kind of failure."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.runs = self.tracebacks = self.hangs = self.losses = 0
        self.examples: dict[str, list[str]] = {}
        self.started = time.monotonic()

    def add(self, verdict: str, what: str) -> None:
        self.runs += 1
        kind = verdict.split(":", 1)[0]
        if kind == "ok":
            return
        attr = {"traceback": "tracebacks", "hang": "hangs", "loss": "losses"}.get(kind, "losses")
        setattr(self, attr, getattr(self, attr) + 1)
        examples = self.examples.setdefault(attr, [])
        if len(examples) < 5:
            examples.append(f"{what}\n{verdict}")


def _seed_texts(fmt: str | None = None) -> list[tuple[str, str]]:
    return [s for s in F.seeds() if fmt is None or s[0] == fmt]


def run_mutations(tally: Tally, worker: Worker, kind: str, runs: int, rng: random.Random,
                  limit: float) -> None:
    seeds = _seed_texts()
    for _ in range(runs):
        fmt, text = rng.choice(seeds)
        if kind == "reader" and rng.random() < 0.3:
            fmt = rng.choice(READERS)
        mutated = F.mutate(text, rng, rounds=6)
        tally.add(worker.run(kind, (fmt, mutated), limit), f"{fmt}: {mutated[:300]!r}")


def run_generated(tally: Tally, worker: Worker, kind: str, runs: int, seed: int,
                  limit: float) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=runs, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(refs=F.libraries(particles=kind != "round-trip"),
           writer=st.sampled_from(["csl-json", "csl-yaml", "biblatex", "ris"]),
           profile=st.sampled_from([None, "scopus"]))
    def one(refs: list[Any], writer: str, profile: str | None) -> None:
        payload = refs if kind == "round-trip" else (refs, writer, profile)
        tally.add(worker.run(kind, payload, limit), repr([r.id for r in refs]))

    import hypothesis

    hypothesis.seed(seed)(one)()


def campaign_normalize(tally: Tally, worker: Worker, runs: int, rng: random.Random,
                       limit: float) -> None:
    run_generated(tally, worker, "normalize", runs // 2, rng.randrange(1 << 30), limit)
    seeds = [s for s in _seed_texts() if s[0] != "text"]
    for _ in range(runs - runs // 2):
        fmt, text = rng.choice(seeds)
        payload = ((fmt, F.mutate(text, rng, 2)), rng.choice(["csl-json", "csl-yaml",
                                                              "biblatex", "ris"]),
                   rng.choice([None, "scopus"]))
        tally.add(worker.run("normalize", payload, limit), f"{fmt}: {payload[0][1][:200]!r}")


def campaign_network(tally: Tally, worker: Worker, runs: int, rng: random.Random,
                     limit: float) -> None:
    from faults import FAULTS, FaultServer

    modes = ["ok", *sorted(FAULTS)]
    with FaultServer("ok") as server:
        for n in range(runs):
            if rng.random() < 0.8:
                mode = rng.choice(modes)
                server.route(f"/f{n}/", mode)
                retries = rng.randint(0, 2)
                tally.add(worker.run("network", (server.url, f"10.1000/f{n}/x", retries),
                                     max(limit, (retries + 1) * 3 + 5)), mode)
            else:
                dois = []
                for k in range(rng.randint(1, 4)):
                    mode = rng.choice(modes)
                    server.route(f"/e{n}k{k}/", mode)
                    dois.append(f"10.1000/e{n}k{k}/x")
                tally.add(worker.run("enrich", (server.url, dois), max(limit, 20)),
                          f"enrich {dois}")


_WRITER_SCRIPT = """
import sys, time
from transcite.textio import atomic_write
def write(out):
    for i in range(2000):
        out.write("new line %d\\n" % i)
        if i % 200 == 0:
            out.flush(); time.sleep(0.01)
atomic_write(sys.argv[1], write)
"""
_NEW = "".join(f"new line {i}\n" for i in range(2000))


def campaign_writes(tally: Tally, runs: int, rng: random.Random) -> None:
    from transcite.textio import atomic_write

    signals = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL, signal.SIGQUIT]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.bib"
        for _ in range(runs):
            target.write_text("old\n", encoding="utf-8")
            proc = subprocess.Popen([sys.executable, "-c", _WRITER_SCRIPT, str(target)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 0.4))
            sig = rng.choice(signals)
            proc.send_signal(sig)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                tally.add("hang: the writer did not stop", sig.name)
                continue
            content = target.read_text(encoding="utf-8")
            if sig == signal.SIGKILL:       # cannot be caught: the next write cleans up
                atomic_write(target, lambda out: out.write("old\n"))
            temps = [p.name for p in Path(tmp).iterdir() if p.name.endswith(".tmp")]
            if content not in ("old\n", _NEW):
                tally.add(f"loss: a piece was left ({len(content)} characters)", sig.name)
            elif temps:
                tally.add(f"loss: temporary files left: {temps}", sig.name)
            else:
                tally.add("ok", sig.name)


def campaign_files(tally: Tally, worker: Worker, kind: str, runs: int, rng: random.Random,
                   limit: float) -> None:
    if kind == "style":
        texts = [p.read_text(encoding="utf-8") for p in (ROOT / "styles" / "csl").glob("*.csl")]
    else:
        texts = [p.read_text(encoding="utf-8")
                 for p in (ROOT / "styles" / "profiles").glob("*.toml")]
    for _ in range(runs):
        text = F.mutate(rng.choice(texts), rng, rounds=rng.randint(1, 8))
        tally.add(worker.run(kind, text, limit), text[:200])


def campaign_asts(tally: Tally, worker: Worker, runs: int, rng: random.Random,
                  limit: float) -> None:
    docs = F.pandoc_docs()
    for _ in range(runs):
        base, doc = rng.choice(docs)
        broken = F.mutate_ast(doc, rng)
        if rng.random() < 0.3:
            broken = F.mutate_ast(broken, rng)
        fmt = rng.choice([None, "docx", "markdown", "html"])
        tally.add(worker.run("ast", (str(base), broken, fmt), limit),
                  json.dumps(broken)[:300])


def _warm_up() -> None:
    """Load what the checks load (dictionaries, models, styles) before the worker is forked:
    a worker replaced after a hang starts warm, and a slow first load is not taken for a
    hang."""
    import logging

    from transcite.normalisation import normalise
    from transcite.readers import read
    from transcite.render.lists import format_library

    logging.getLogger("bibtexparser").disabled = True
    lib = read(ROOT / "references" / "examples" / "russia-japan.bib")
    normalise(lib, profile="scopus")
    format_library(lib, profile=None).render("text")
    for fmt, text in F.seeds():
        check_reader((fmt, text))


CAMPAIGNS = ["readers", "readers-writers", "round-trips", "normalize", "network", "writes",
             "styles", "profiles", "asts"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--campaign", action="append", choices=CAMPAIGNS,
                    help="run only these (repeatable); default: all")
    ap.add_argument("--runs", type=int, default=300, help="inputs per campaign")
    ap.add_argument("--limit", type=float, default=10.0, help="seconds one input may take")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--report", help="write the counts and failure examples here (JSON)")
    args = ap.parse_args()
    os.environ.setdefault("TRANSCITE_CACHE", tempfile.mkdtemp(prefix="transcite-fuzz-"))
    rng = random.Random(args.seed)
    tallies = []
    _warm_up()
    worker = Worker()
    try:
        for name in args.campaign or CAMPAIGNS:
            tally = Tally(name)
            if name == "readers":
                run_mutations(tally, worker, "reader", args.runs, rng, args.limit)
            elif name == "readers-writers":
                run_mutations(tally, worker, "reader-writer", args.runs, rng, args.limit)
            elif name == "round-trips":
                run_generated(tally, worker, "round-trip", args.runs, args.seed, args.limit)
            elif name == "normalize":
                campaign_normalize(tally, worker, args.runs, rng, args.limit)
            elif name == "network":
                campaign_network(tally, worker, args.runs, rng, args.limit)
            elif name == "writes":
                campaign_writes(tally, max(args.runs // 5, 10), rng)
            elif name in ("styles", "profiles"):
                campaign_files(tally, worker, name[:-1], args.runs, rng, args.limit)
            else:
                campaign_asts(tally, worker, args.runs, rng, args.limit)
            tally.seconds = time.monotonic() - tally.started  # type: ignore[attr-defined]
            tallies.append(tally)
            print(f"{name:<16} {tally.runs:>7} runs {tally.tracebacks:>5} tracebacks "
                  f"{tally.hangs:>4} hangs {tally.losses:>5} data loss  "
                  f"({tally.seconds:.0f} s)", flush=True)  # type: ignore[attr-defined]
    finally:
        worker.close()
    print("\n| campaign | runs | tracebacks | hangs | data loss |")
    print("|---|---:|---:|---:|---:|")
    for t in tallies:
        print(f"| {t.name} | {t.runs} | {t.tracebacks} | {t.hangs} | {t.losses} |")
    for t in tallies:
        for kind, examples in t.examples.items():
            print(f"\n== {t.name}: {kind}\n" + "\n--\n".join(examples))
    if args.report:
        Path(args.report).write_text(json.dumps(
            [{"campaign": t.name, "runs": t.runs, "tracebacks": t.tracebacks, "hangs": t.hangs,
              "data_loss": t.losses, "examples": t.examples}
             for t in tallies], ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if any(t.tracebacks or t.hangs or t.losses for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
