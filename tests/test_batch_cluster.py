"""transcite batch on a real dask.distributed LocalCluster (two worker processes): the same
records as one process, a worker killed mid-job, a resumed job, the dedupe shuffle stage."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from transcite.batch import Settings, run, strip_label  # noqa: E402
from transcite.batch.records import run_records  # noqa: E402

DATA = Path(__file__).parent / "data" / "batch"
LINES = (DATA / "npe-lines.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def client() -> Any:
    """One LocalCluster for the module: 2 worker processes, 1 thread each."""
    import logging

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as c:
        yield c


def _records(out: Path, suffix: str = "jsonl") -> list[dict[str, Any]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    return [json.loads(line) for shard in manifest["shards"]
            for line in (out / f"{shard['name']}.{suffix}").read_text(
                encoding="utf-8").splitlines()]


def _many(copies: int) -> list[str]:
    """The excerpt repeated with every year moved by the copy number (different records)."""
    year = re.compile(r"\b(19[5-9]\d|20[01]\d)\b")
    out = []
    for k in range(copies):
        out += [year.sub(lambda m, k=k: str(int(m.group()) + k), line) for line in LINES]
    return out


def _without_id(item: dict[str, Any] | None) -> dict[str, Any]:
    assert item is not None
    return {k: v for k, v in item.items() if k != "id"}


def test_records_equal_what_one_process_gives_for_the_whole_file(client: Any,
                                                                  tmp_path: Path) -> None:
    """parse -> normalise (every step but dedupe) -> format --order input on the whole file in
    one process gives, record for record, what the cluster gives: the parsed and normalised
    items (ids aside: one file makes them unique, a corpus does not), both lists of the
    profile (their list numbers aside) and the problems."""
    from transcite.normalisation import STEPS, normalise
    from transcite.parse import parse_lines
    from transcite.profiles import get_profile
    from transcite.render.lists import format_library
    from transcite.writers.csljson import reference_to_item

    src = tmp_path / "refs.txt"
    src.write_text("\ufeff" + "\n\n".join(LINES[:120]) + "\r\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run([str(src)], str(out), Settings(profile="scopus"), blocksize=2000,
                  client=client)
    assert summary.shards > 10 and summary.errors == 0
    got = _records(out)

    text = src.read_text(encoding="utf-8")
    parsed = parse_lines(text, file=str(src))
    prof = get_profile("scopus")
    normalised = normalise(parsed, [s for s in STEPS if s != "dedupe"], profile=prof)
    lists = format_library(normalised.library, profile=prof, order="input").lists
    refs, done = list(parsed), list(normalised.library)
    assert len(got) == len(refs) == 120
    for n, (record, ref, norm) in enumerate(zip(got, refs, done)):
        assert (record["file"], record["line"]) == (str(src), ref.origin.line)
        assert record["input"] == LINES[n]
        assert _without_id(record["csl"]) == _without_id(reference_to_item(ref))
        assert _without_id(record["normalised"]) == _without_id(reference_to_item(norm))
        for lst in lists:
            assert record["rendered"][f"scopus.{lst.view}"] == strip_label(
                lst.entries[n].text, n + 1)
    # the problems of a line are those the whole-file run reports about that line
    whole = parsed.report.problems + normalised.report.problems
    expected = Counter((p.line, p.code, p.message) for p in whole if p.line is not None)
    mine = Counter((p["line"], p["code"], p["message"]) for r in got for p in r["problems"]
                   if p["code"].split(".")[0] in {c.split(".")[0] for _, c, _ in expected})
    assert mine == expected and expected


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """2,200 reference lines and what one process makes of them (the GOST list)."""
    folder = tmp_path_factory.mktemp("many")
    src = folder / "many.txt"
    lines = _many(8)
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = [(str(src), n, line) for n, line in enumerate(lines, 1)]
    expected = list(run_records(Settings(), records))
    return src, expected


def test_a_worker_killed_mid_job_changes_nothing(client: Any, many: Any, tmp_path: Path
                                                  ) -> None:
    src, expected = many
    out = tmp_path / "out"
    pids = client.run(os.getpid)
    result: dict[str, Any] = {}
    job = threading.Thread(target=lambda: result.update(summary=run(
        [str(src)], str(out), Settings(), blocksize=16_000, client=client)))
    job.start()
    deadline = time.monotonic() + 120
    while not list((out / "_done").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    written_before = len(list((out / "_done").glob("*.json")))
    os.kill(sorted(pids.values())[0], signal.SIGKILL)
    job.join(timeout=300)
    summary = result["summary"]
    assert 0 < written_before < summary.shards      # the kill came in the middle
    assert summary.written == summary.shards and summary.errors == 0
    got = _records(out)
    assert len(got) == len(expected) > 2000
    assert got == expected
    assert [r["line"] for r in got] == list(range(1, len(got) + 1))
    assert not list(out.rglob("*.tmp-*"))
    client.wait_for_workers(2, timeout=60)


def test_a_rerun_writes_only_the_missing_shards(client: Any, tmp_path: Path) -> None:
    src = tmp_path / "few.txt"
    lines = _many(2)
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = list(run_records(Settings(), [(str(src), n, t) for n, t in enumerate(lines, 1)]))
    out = tmp_path / "out"
    first = run([str(src)], str(out), Settings(), blocksize=20_000, client=client)
    assert first.written == first.shards > 3
    (out / "part-000002.jsonl").unlink()            # a job killed before shard 2 was done
    (out / "_done" / "part-000001.json").unlink()
    kept = (out / "part-000000.jsonl").stat().st_mtime_ns
    again = run([str(src)], str(out), Settings(), blocksize=20_000, client=client)
    assert (again.written, again.skipped) == (2, first.shards - 2)
    assert (out / "part-000000.jsonl").stat().st_mtime_ns == kept
    assert _records(out) == expected
    # other settings: every shard is written again
    styled = run([str(src)], str(out), Settings(styles=("apa",)), blocksize=20_000,
                 client=client)
    assert styled.written == styled.shards
    assert set(_records(out)[0]["rendered"]) == {"apa"}


def test_the_dedupe_stage_merges_what_the_normalise_step_merges(client: Any,
                                                                 tmp_path: Path) -> None:
    """Russian and English lines of the same sources, and records sharing a DOI: the groups
    and merged items the shuffle stage finds are those the one-process dedupe step finds."""
    from transcite.batch.dedupe import _reference, dedupe_output
    from transcite.normalisation import data_steps
    from transcite.normalisation.pipeline import Context
    from transcite.writers.csljson import reference_to_item

    src = tmp_path / "refs.jsonl"
    items = [{"text": line} for line in LINES[:160]]
    items += [{"id": f"d{n}", "type": "article-journal", "title": f"Work {n}",
               "DOI": f"10.1000/X{n % 3}", "issued": {"date-parts": [[2000 + n]]}}
              for n in range(6)]
    src.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    run([str(src)], str(out), Settings(profile="scopus"), blocksize=3000, client=client)
    summary = dedupe_output(str(out), client=client)
    groups = [json.loads(line) for line in
              (out / "dedupe" / "part-000000.jsonl").read_text(encoding="utf-8").splitlines()]

    records = _records(out)
    refs = [_reference(n, r["file"], r["line"], r["normalised"]) for n, r in enumerate(records)]
    changes = data_steps.dedupe(refs, Context())
    merged = {int(c.item): int(c.new) for c in changes if c.step == "dedupe" and c.field == "id"}
    expected = {records[k]["line"]: records[v]["line"] for k, v in merged.items()}
    found = {m["line"]: g["root"]["line"] for g in groups for m in g["members"]}
    assert found == expected and len(found) > 20
    assert (found[164], found[165], found[166]) == (161, 162, 163)     # by DOI
    assert summary.duplicates == len(found) and summary.groups == len(groups)
    targets = {r.origin.line: r for r in refs}
    for g in groups:
        want = reference_to_item(targets[g["root"]["line"]])
        want["id"] = g["root"]["id"]
        custom = {k: v for k, v in want.pop("custom", {}).items() if k != "_batch_id"}
        if custom:
            want["custom"] = custom
        assert g["merged"] == want
