"""transcite batch without a cluster: shards and line numbers, failing records, formats, the
Dask collections, the CLI's usage errors, lazy imports and the Crossref rate."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask")

from typer.testing import CliRunner  # noqa: E402

from transcite.batch import Settings, plan, run  # noqa: E402
from transcite.cli import app  # noqa: E402

DATA = Path(__file__).parent / "data" / "batch"
LINES = (DATA / "npe-lines.txt").read_text(encoding="utf-8").splitlines()


def _records(out: Path) -> list[dict[str, Any]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [json.loads(line) for shard in manifest["shards"]
            for line in (out / shard["output"]).read_text(encoding="utf-8").splitlines()]


def test_line_numbers_across_shards_are_those_of_transcite_parse(tmp_path: Path) -> None:
    """Blank lines, CRLF, a BOM and the line breaks str.splitlines knows (U+2028, form feed)
    are counted as `transcite parse` counts them, however small the shards."""
    from transcite.parse import parse_lines

    body = LINES[:6]
    text = ("\ufeff" + body[0] + "\r\n\r\n" + body[1] + "\u2028" + body[2] + "\n\x0c\n"
            + body[3] + "\n   \n" + body[4] + "\r\n" + body[5])
    src = tmp_path / "refs.txt"
    src.write_bytes(text.encode("utf-8"))
    shards = plan([str(src)], blocksize=64)
    assert len(shards) > 5
    out = tmp_path / "out"
    run([str(src)], str(out), Settings(steps=("parse",)), blocksize=64,
        scheduler="synchronous")
    lines = [(r["line"], r["input"]) for r in _records(out)]
    whole = parse_lines(text, file=str(src))
    assert lines == [(ref.origin.line, ref.origin.raw) for ref in whole]
    assert [t for _, t in lines] == body


def test_every_record_comes_out_once_and_failures_also_go_to_the_errors_shard(
        tmp_path: Path) -> None:
    src = tmp_path / "refs.jsonl"
    rows = [json.dumps({"text": LINES[0], "source": "a"}, ensure_ascii=False),
            '{"text": "unclosed',
            "[1, 2]",
            json.dumps({"id": "x1", "type": "book", "title": "Война и мир",
                        "author": [{"family": "Толстой", "given": "Л. Н."}],
                        "issued": {"date-parts": [[1869]]}}, ensure_ascii=False),
            json.dumps({"text": "   "}),
            json.dumps({"text": "Иванов И. И. " + "очень длинное заглавие " * 50}),
            json.dumps({"text": 42}),
            json.dumps({"text": "Unreadable nonsense qwertyuiop"})]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run([str(src)], str(out), Settings(max_length=500), scheduler="synchronous")
    records = _records(out)
    assert [r["line"] for r in records] == list(range(1, 9))
    assert [r["error"] is None for r in records] == [True, False, False, True, False, False,
                                                      False, True]
    assert records[0]["input"] == {"text": LINES[0], "source": "a"}
    assert records[0]["rendered"]["gost-r-7-0-5-2008"].startswith("Стратегия развития")
    assert records[3]["id"] == "x1" and records[3]["rendered"]["gost-r-7-0-5-2008"] \
        .startswith("Толстой Л. Н. Война и мир")
    assert "not JSON" in records[1]["error"] and "not a JSON object" in records[2]["error"]
    assert records[4]["error"] == "no reference text"
    assert "longer than 500" in records[5]["error"]
    assert "not text" in records[6]["error"]
    # a line that cannot be made out is data, not a failure: kept as a note and reported
    assert records[7]["normalised"]["note"] == "Unreadable nonsense qwertyuiop"
    assert any(p["code"] == "parse.unrecognised" for p in records[7]["problems"])
    failed = [json.loads(line) for line in
              (out / "errors" / "part-000000.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [f["line"] for f in failed] == [2, 3, 5, 6, 7]
    assert failed[0] == {"file": str(src), "line": 2, "input": '{"text": "unclosed',
                         "error": records[1]["error"]}
    assert summary.errors == 5 and summary.records == 8


def test_bytes_that_are_not_text_fail_their_line_only(tmp_path: Path) -> None:
    src = tmp_path / "refs.txt"
    src.write_bytes(LINES[0].encode("utf-8") + b"\nBroken \xff\xfe line\n"
                    + LINES[2].encode("utf-8") + b"\n")
    out = tmp_path / "out"
    run([str(src)], str(out), Settings(steps=("parse",)), scheduler="synchronous")
    records = _records(out)
    assert [r["error"] is None for r in records] == [True, False, True]
    assert records[1]["input"] == "Broken \ufffd\ufffd line"
    assert "not UTF-8" in records[1]["error"]


def test_csv_and_parquet_in_parquet_out(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_file = tmp_path / "refs.csv"
    csv_file.write_text('id,text\n1,"' + LINES[0] + '"\n2,"' + LINES[2].replace('"', '""')
                        + '\nwrapped"\n', encoding="utf-8")
    table = pa.table({"key": ["a", "b", "c"], "text": [LINES[4], LINES[5], LINES[6]]})
    pq_file = tmp_path / "refs.parquet"
    pq.write_table(table, pq_file, row_group_size=2)
    assert [s.format for s in plan([str(csv_file), str(pq_file)])] == ["csv", "parquet",
                                                                       "parquet"]
    out = tmp_path / "out"
    run([str(csv_file), str(pq_file)], str(out), Settings(profile="scopus"), to="parquet",
        scheduler="synchronous")
    rows = [r for p in sorted(out.glob("part-*.parquet")) for r in pq.read_table(p).to_pylist()]
    assert [(Path(r["file"]).name, r["line"]) for r in rows] == [
        ("refs.csv", 2), ("refs.csv", 3), ("refs.parquet", 1), ("refs.parquet", 2),
        ("refs.parquet", 3)]
    assert json.loads(rows[0]["input"]) == {"id": "1", "text": LINES[0]}
    assert rows[1]["csl"] and json.loads(rows[1]["input"])["text"].endswith("\nwrapped")
    assert rows[2]["rendered.scopus.references"].endswith("(In Russ.)")
    assert rows[2]["rendered.scopus.original"].startswith("Крыштафович А. Н.")
    assert all(r["error"] is None for r in rows)
    assert json.loads(rows[2]["problems"]) is not None


def test_the_dask_collections_give_the_records_the_job_writes(tmp_path: Path) -> None:
    import dask
    import dask.dataframe as dd
    import pandas as pd

    from transcite.batch import process, read, write

    src = tmp_path / "refs.txt"
    src.write_text("\n".join(LINES[:30]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    settings = Settings(styles=("gost", "apa"))
    run([str(src)], str(out), settings, blocksize=1500, scheduler="synchronous")
    with dask.config.set(scheduler="synchronous"):
        bag = read([str(src)], blocksize=1500)
        assert bag.npartitions > 5
        records = process(bag, settings).compute()
        assert records == _records(out)
        summary = write(process(bag, settings), str(tmp_path / "api"))
        assert summary.records == 30 and summary.written == bag.npartitions
        assert write(process(bag, settings), str(tmp_path / "api")).skipped == bag.npartitions
        frame = dd.from_pandas(pd.DataFrame({"text": LINES[:4], "n": range(4)}),
                               npartitions=2)
        done = process(frame, settings).compute()
    assert list(done["n"]) == [0, 1, 2, 3]
    assert list(done["rendered.gost-r-7-0-5-2008"]) == [
        r["rendered"]["gost-r-7-0-5-2008"] for r in records[:4]]
    assert json.loads(done["normalised"].iloc[0]) == records[0]["normalised"]


def test_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    src = tmp_path / "refs.txt"
    src.write_text("\n".join(LINES[:5]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    ok = runner.invoke(app, ["batch", str(src), "-o", str(out), "--scheduler", "synchronous",
                             "--style", "gost-numeric", "--steps", "parse,render"])
    assert ok.exit_code == 0, ok.output
    assert "5 records in 1 shards" in ok.output
    assert _records(out)[0]["normalised"] is None
    pairs = tmp_path / "pairs.txt"     # a GOST line and its References line: one work
    pairs.write_text("\n".join(LINES[:4]) + "\n", encoding="utf-8")
    deduped = runner.invoke(app, ["batch", str(pairs), "-o", str(tmp_path / "d"), "--to",
                                  "parquet", "--dedupe", "--scheduler", "synchronous"])
    assert deduped.exit_code == 0, deduped.output
    assert "dedupe: 1 of 4 records repeat another, in 1 groups" in deduped.output
    groups = (tmp_path / "d" / "dedupe" / "part-000000.jsonl").read_text(encoding="utf-8")
    [group] = [json.loads(g) for g in groups.splitlines()]
    assert group["root"]["line"] == 3 and [m["line"] for m in group["members"]] == [4]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "' + LINES[0] + '"}\nnot json\n', encoding="utf-8")
    failed = runner.invoke(app, ["batch", str(bad), "-o", str(tmp_path / "o2"),
                                 "--scheduler", "synchronous"])
    assert failed.exit_code == 1 and "1 failed" in failed.output
    for args, message in [
        (["--steps", "parse,frobnicate"], "unknown step(s) frobnicate"),
        (["--style", "no-such-style"], "no-such-style"),
        (["--to", "xml"], "unknown output 'xml'"),
        (["--blocksize", "lots"], "not a size"),
    ]:
        result = runner.invoke(app, ["batch", str(src), "-o", str(tmp_path / "o3"), *args,
                                     "--scheduler", "synchronous"])
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    missing = runner.invoke(app, ["batch", str(tmp_path / "nope.txt"), "-o", str(out)])
    assert missing.exit_code == 2 and "no such file" in missing.output
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "part-000000.jsonl").write_text("mine\n", encoding="utf-8")
    refused = runner.invoke(app, ["batch", str(src), "-o", str(foreign),
                                  "--scheduler", "synchronous"])
    assert refused.exit_code == 2 and "not a transcite batch output" in refused.output
    assert (foreign / "part-000000.jsonl").read_text(encoding="utf-8") == "mine\n"


def test_other_commands_do_not_import_dask() -> None:
    code = ("import sys, transcite.cli; from typer.main import get_group; "
            "get_group(transcite.cli.app); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'dask', 'distributed', 'pandas', 'pyarrow', 'fsspec'}))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "[]"


def test_a_token_bucket_gives_each_worker_its_share_of_the_rate() -> None:
    from transcite.batch.lookups import TokenBucket, worker_bucket

    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    share = Settings(crossref_rate=10, workers=4)
    assert worker_bucket(share).rate == 2.5
    bucket = TokenBucket(2.5, clock=lambda: now[0], sleep=sleep)
    for _ in range(11):
        bucket.take()
    assert now[0] == pytest.approx(4.0)         # 10 requests after the first take 4 s
    assert len(waits) == 10
    bucket.slow_to(1.0)
    bucket.slow_to(50.0)                        # never faster than the job's setting
    assert bucket.rate == 1.0


class _Crossref(BaseHTTPRequestHandler):
    """A local stand-in announcing a rate limit, counting requests."""

    hits = 0

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits += 1
        body = json.dumps({"status": "ok", "message": {"DOI": "10.1000/x"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Rate-Limit-Limit", "3")
        self.send_header("X-Rate-Limit-Interval", "1s")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        return


def test_lookups_are_paced_below_the_cache_and_slow_to_the_announced_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from transcite.batch.lookups import TokenBucket, make_client

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Crossref)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("TRANSCITE_CROSSREF_URL", f"http://127.0.0.1:{server.server_port}")
        settings = Settings(crossref_rate=100, workers=2, cache=str(tmp_path / "cache"))
        client = make_client(settings)
        adapter = client.session.get_adapter("http://127.0.0.1/")
        assert isinstance(adapter.bucket, TokenBucket) and adapter.bucket.rate == 50
        assert client.work("10.1000/x")["DOI"] == "10.1000/x"
        assert adapter.bucket.rate == 1.5               # 3 a second shared by 2 workers
        taken = adapter.bucket.waited
        again = make_client(settings)                   # another task: the shared cache
        assert again.work("10.1000/x")["DOI"] == "10.1000/x"
        assert _Crossref.hits == 1 and adapter.bucket.waited == taken
    finally:
        server.shutdown()


def test_emptying_the_memo_caches_changes_no_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker past its memory mark empties the library's memo caches (bounded memory on
    long jobs); the records come out the same."""
    from transcite import memo
    from transcite.batch.records import Pipeline, trim_caches

    # a trim earlier in this process (another test's batch) sets the next mark 64 MiB higher
    monkeypatch.setattr(memo, "next_mark", [0.0])
    from transcite.translit.guess import analyse

    settings = Settings(profile="scopus")
    records = [(None, n, line) for n, line in enumerate(LINES[:12], 1)]
    pipeline = Pipeline(settings)
    before = [pipeline.run(*r) for r in records]
    assert analyse.cache_info().currsize > 0
    assert trim_caches(limit_mib=0)
    assert analyse.cache_info().currsize == 0
    assert not trim_caches(limit_mib=0)             # not again before 64 MiB more
    assert [pipeline.run(*r) for r in records] == before
