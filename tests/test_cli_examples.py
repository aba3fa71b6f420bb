"""Every command's help shows examples, and every example runs - against the example library,
in a folder of its own, with Crossref answered by a local server replaying recorded answers."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from replay import ReplayServer
from typer.testing import CliRunner

import transcite
from transcite.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "references" / "examples"
runner = CliRunner()

#: Commands whose examples cannot run here, and why (their own tests run them).
SKIP = {"serve": "starts a web server that runs until it is stopped"}
#: Exit statuses an example may end with besides 0: `check` reports what it finds (the example
#: library has warnings), as linters do.
ALSO_OK = {"check": {1}}


def _commands() -> dict[str, object]:
    import typer.main

    group = typer.main.get_group(app)
    return {name: cmd for name, cmd in group.commands.items() if not cmd.hidden}


def _examples(cmd: object) -> list[str]:
    epilog = getattr(cmd, "epilog", None) or ""
    text = epilog.split(":", 1)[1] if epilog.startswith("Example") else ""
    return [e.strip() for e in text.split("  |  ") if e.strip()]


CASES = [(name, example) for name, cmd in sorted(_commands().items())
         for example in _examples(cmd)]


def test_every_command_has_examples() -> None:
    for name, cmd in _commands().items():
        assert _examples(cmd), f"'transcite {name} --help' shows no example"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files the examples name, made from the example library."""
    work = tmp_path_factory.mktemp("examples")
    library = transcite.read(EXAMPLES / "russia-japan.bib")
    (work / "refs.bib").write_bytes((EXAMPLES / "russia-japan.bib").read_bytes())
    (work / "paper.md").write_bytes((EXAMPLES / "paper.md").read_bytes())
    transcite.write(library, work / "refs.json")
    gost = [e.text for e in transcite.render(library, "gost-r-7-0-5-2008")]
    lines = [t.split(". ", 1)[1] for t in gost]
    (work / "refs.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (work / "pasted.txt").write_text("Список литературы\n" + "\n".join(gost) + "\n",
                                     encoding="utf-8")
    (work / "article.txt").write_text(
        "Стрельцов Д. В. Российско-японские отношения: долгосрочные факторы развития\n\n"
        "Для цитирования: Стрельцов Д. В. Российско-японские отношения: долгосрочные факторы "
        "развития // Японские исследования. 2020. № 1. С. 6–21.\n\nСписок литературы\n"
        + "\n".join(gost) + "\n", encoding="utf-8")
    (work / "dois.txt").write_text("10.1371/journal.pone.0033693\n", encoding="utf-8")
    (work / "refs").mkdir()
    (work / "refs" / "part1.txt").write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    return work


@pytest.fixture(scope="module")
def crossref(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A replay server, and a cache that already holds one answer (for --offline examples)."""
    from transcite.lookup.crossref import CrossrefClient, CrossrefSettings

    with ReplayServer() as server:
        for name in ("test_works_with_one_id.yaml", "test_works_bad_id_warn.yaml",
                     "test_journals_ids.yaml", "test_journals_bad_id_warn.yaml"):
            server.load(name)
        home = tmp_path_factory.mktemp("home")
        cache = home / "crossref-cache"
        # the Crossref cache by the configuration: $TRANSCITE_CACHE would also move the
        # back-transliteration lexicon, which takes long to build
        (home / "config.toml").write_text(f"[crossref]\ncache_dir = {json.dumps(str(cache))}\n",
                                          encoding="utf-8")
        CrossrefClient(CrossrefSettings(base_url=server.url, cache_dir=cache)
                       ).work("10.1371/journal.pone.0033693")
        server.home = home  # type: ignore[attr-defined]
        yield server


def _run(example: str, cwd: Path):  # type: ignore[no-untyped-def]
    words = shlex.split(example)
    assert words[0] == "transcite", example
    args, stdin, stdout = [], None, None
    it = iter(words[1:])
    for word in it:
        if word == "<":
            stdin = (cwd / next(it)).read_bytes()
        elif word == ">":
            stdout = cwd / next(it)
        else:
            args.append(word)
    return runner.invoke(app, args, input=stdin), stdout


@pytest.mark.parametrize(("command", "example"), CASES, ids=[e for _, e in CASES])
def test_help_example_runs(command: str, example: str, workdir: Path, crossref: ReplayServer,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    if command in SKIP:
        pytest.skip(SKIP[command])
    if re.search(r"\b(?:s3|gcs|gs|hdfs|az|abfs|tcp)://", example):
        pytest.skip("names a remote store or scheduler")
    if command == "batch":
        pytest.importorskip("dask")
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("TRANSCITE_CROSSREF_URL", crossref.url)
    monkeypatch.setenv("TRANSCITE_HOME", str(crossref.home))  # type: ignore[attr-defined]
    monkeypatch.setenv("TRANSCITE_MAILTO", "tests@example.org")
    monkeypatch.delenv("TRANSCITE_CONFIG", raising=False)
    before = {p.name: p.stat().st_mtime_ns for p in workdir.iterdir()}
    result, redirected = _run(example, workdir)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in {0} | ALSO_OK.get(command, set()), \
        f"{example}: exit {result.exit_code}\n{result.stderr}"
    written = [p for p in workdir.iterdir()
               if p.is_file() and before.get(p.name) != p.stat().st_mtime_ns]
    if redirected is not None:
        redirected.write_bytes(result.stdout_bytes)
        written.append(redirected)
    # every example shows or writes something
    assert result.stdout_bytes.strip() or any(p.stat().st_size for p in written), example
    for path in written:
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
