"""``transcite translit`` as a user meets it."""

from __future__ import annotations

from typer.testing import CliRunner

from transcite.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["translit", *args], input=input)


def test_romanise_by_a_named_scheme() -> None:
    result = run("Юрий Щербаков", "--scheme", "bgn")
    assert result.exit_code == 0
    assert result.stdout == "Yuriy Shcherbakov\n"


def test_stdin_is_line_oriented_with_nothing_else_on_stdout() -> None:
    text = "Атомная станция\n\nЯдерная физика\nХоккайдо\n"
    result = run("-", "--scheme", "lc-plain", input=text)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Atomnaia stantsiia", "", "Iadernaia fizika",
                                          "Hokkaido"]
    strict = run("-", "--scheme", "lc-plain", "--no-exceptions", input="Хоккайдо\n")
    assert strict.stdout == "Khokkaido\n"
    back = run("-", "--to", "cyrillic", input="VMF Rossii\nThe Manual\n\nKitai\n")
    assert back.stdout.splitlines() == ["ВМФ России", "The Manual", "", "Китай"]


def test_detect_prints_scheme_and_confidence_per_line() -> None:
    result = run("-", "--detect", input="Ob''emy yadernoi energetiki Rossii\nThe Manual\n")
    assert result.exit_code == 0
    first, second = result.stdout.splitlines()
    assert first.split("\t")[0] == "bsi" and 0 < float(first.split("\t")[1]) <= 1
    assert second == "unknown\t0.00"


def test_reversible_scheme_back_to_cyrillic_is_exact() -> None:
    result = run("Obʺëm ènergetiki", "--to", "cyrillic", "--scheme", "iso9")
    assert result.stdout == "Объём энергетики\n"


def test_doubtful_words_go_to_stderr() -> None:
    result = run("-", "--to", "cyrillic", "--doubtful", input="Shtaraev S.K. reaktorov\n")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    assert "line 1: Shtaraev" in result.stderr


def test_list_shows_every_scheme_with_an_example() -> None:
    result = run("--list")
    assert result.exit_code == 0
    assert "bsi" in result.stdout and "gost_779_alt" in result.stdout
    assert result.stdout.count("  ->  ") == 29


def test_usage_errors_exit_2_without_a_traceback() -> None:
    for args in (["x", "--scheme", "bgnn"], ["x", "--to", "greek"], []):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
    assert "did you mean 'bgn_pcgn'" in run("x", "--scheme", "bgnn").stderr
