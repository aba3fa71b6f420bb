"""The engine compiled by the wheel's build (mypyc, tools/build_native.py) prints what the
engine run as Python prints, and its objects survive pickling (the style cache, the two
processes of a long list). Where the installed engine is not compiled (an editable install, a
build without a C compiler) there is nothing to compare, and the tests say so."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from transcite.render.csl.native import is_compiled

ROOT = Path(__file__).resolve().parent.parent
compiled_only = pytest.mark.skipif(not is_compiled(), reason="the installed engine runs as "
                                   "Python (an editable install, or built without a compiler)")


def _format(library: Path, style: str, *, python_engine: bool) -> str:
    env = dict(os.environ, TRANSCITE_NO_CACHE="1")
    if python_engine:   # the source tree's own modules, which have no extensions beside them
        env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run([sys.executable, "-m", "transcite", "format", str(library),
                           "--style", style, "--normalise", "--order", "style"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@compiled_only
@pytest.mark.parametrize("style", ["gost-r-7-0-5-2008", "gost-r-7-0-100-2018-numeric", "apa",
                                   "chicago-author-date", "ieee", "vancouver"])
def test_the_compiled_engine_prints_what_the_python_engine_prints(style: str,
                                                                  tmp_path: Path) -> None:
    generated = tmp_path / "generated.bib"      # 400 references of every kind, both scripts
    generated.write_text(subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--entries", "400", "--seed",
         "3", "--format", "bibtex"], capture_output=True, text=True, check=True).stdout,
        encoding="utf-8")
    for library in [*sorted((ROOT / "references" / "examples").glob("*.bib")), generated]:
        compiled = _format(library, style, python_engine=False)
        python = _format(library, style, python_engine=True)
        assert compiled.strip(), library
        assert compiled == python, f"{library.name} in {style}"


@compiled_only
def test_a_compiled_style_pickles_and_copies_whole() -> None:
    import copy

    from transcite.render.csl import Processor, clusters_from_json
    from transcite.render.csl.cache import _dump, _load
    from transcite.render.csl.fmt import NO_FMT

    items = [{"id": "a", "type": "book", "title": "Книга", "language": "ru",
              "author": [{"family": "Иванов", "given": "И. И."}],
              "issued": {"date-parts": [[2001]]}, "publisher": "Наука"}]
    style = str(ROOT / "styles" / "csl" / "gost-r-7-0-5-2008.csl")
    again = _load(_dump(Processor(style, None, "text")))     # as the style cache keeps it
    before = Processor(style, None, "text").process(items, clusters_from_json([[{"id": "a"}]]))
    after = again.process(items, clusters_from_json([[{"id": "a"}]]))
    assert after.bibliography == before.bibliography
    assert after.citations == before.citations
    bare = NO_FMT.without_affixes()     # a formatting that leads back to itself
    assert pickle.loads(pickle.dumps(bare)).without_affixes() is not None
    env = copy.copy(again.env)
    assert env.locale is again.env.locale and env.lang == again.env.lang


def test_a_long_list_leaves_no_disambiguation_to_the_collector(tmp_path: Path) -> None:
    """A library kept in a file is rendered in rounds whose memory must come back as each
    round ends, not at the collector's next pass (which a command line run makes rare): what
    a round's disambiguation made - its states, its cite texts - is freed when it is done.
    Closures that call each other kept their environment, and the disambiguator with all it
    reached, in a cycle only the collector frees (compiled by mypyc: ~70 MiB more at
    100,000 entries)."""
    import gc

    from transcite.model import Report
    from transcite.normalisation import normalise, stream
    from transcite.readers import read
    from transcite.render.csl.disambig import Disambiguator
    from transcite.render.lists import format_library

    bib = tmp_path / "long.bib"
    generated = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--entries", "300", "--seed",
         "5", "--format", "bibtex"], capture_output=True, text=True, check=True).stdout
    # cites alike that the disambiguation must search: one author, one year, many titles
    alike = "".join(f"@book{{same{n},\n  author = {{Иванов, И. И.}},\n  title = {{Том {n}}},\n"
                    f"  year = {{2001}},\n  publisher = {{Наука}}\n}}\n" for n in range(12))
    bib.write_text(generated + alike, encoding="utf-8")
    library = normalise(read(str(bib))).library
    spilled = stream.spill(iter(library), Report())
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)      # what the collector finds is kept to be looked at
    try:
        result = format_library(spilled, style="gost-r-7-0-5-2008")
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Disambiguator)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert len(result.lists[0].entries) == len(library)
    assert not left
