"""``transcite translit``: romanise Russian, rebuild Cyrillic, recognise a scheme, list schemes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import app
from ._common import EXIT_INPUT, configured, fail_usage

_EPILOG = ("Examples:  transcite translit 'Юрий Щербаков' --scheme bgn  |  "
           "transcite translit 'VMF Rossii' --to cyrillic  |  "
           "transcite translit - --detect < refs.txt  |  transcite translit --list")


def _lines(text: str | None) -> tuple[list[str], bool]:
    """The input lines and whether the input was stdin (line-oriented)."""
    from ..textio import DecodeFailure, read_text

    if text != "-":
        return [text or ""], False
    try:
        decoded = read_text("-")
    except DecodeFailure as exc:
        where = f"<stdin>:{exc.line}: " if exc.line else "<stdin>: "
        sys.stderr.write(f"{where}error: {exc}\n")
        raise typer.Exit(EXIT_INPUT) from None
    return decoded.text.splitlines(), True


def _list() -> None:
    from ..translit import schemes

    for info in schemes():
        aliases = f"  (also: {', '.join(info.aliases)})" if info.aliases else ""
        flag = "  [reversible]" if info.reversible else ""
        typer.echo(f"{info.name}{aliases}{flag}")
        typer.echo(f"    {info.description}")
        typer.echo(f"    {info.example[0]}  ->  {info.example[1]}")


def _detect_line(line: str) -> str:
    from ..translit import detect_scheme

    guess = detect_scheme(line)
    if guess.scheme is None:
        return f"unknown\t{guess.confidence:.2f}"
    name = f"mixed:{'+'.join(guess.mix)}" if guess.mixed else guess.scheme
    return f"{name}\t{guess.confidence:.2f}"


@app.command(epilog=_EPILOG)
def translit(
    text: Annotated[str | None, typer.Argument(help="Text to convert, or '-' to read lines from "
                                               "stdin (one output line per input line).",
                                               metavar="[TEXT|-]")] = None,
    scheme: Annotated[str | None, typer.Option("--scheme", "-s", help="Romanisation scheme "
                      "(name or alias: bsi, bgn, lc, lc-plain, gost-b, iso9, ...); default: "
                      "'scheme' in the configuration, else bsi. "
                      "With --to cyrillic, the scheme the text was written in (exact for the "
                      "reversible ones).")] = None,
    to: Annotated[str, typer.Option("--to", help="'latin' (romanise) or 'cyrillic' (rebuild "
                                    "Cyrillic from a romanisation).")] = "latin",
    kind: Annotated[str, typer.Option(help="What the text is when romanising: title, name or "
                                      "place (which established spellings apply).")] = "title",
    no_exceptions: Annotated[bool, typer.Option("--no-exceptions", help="Romanise strictly by "
                             "the scheme, without established spellings.")] = False,
    detect: Annotated[bool, typer.Option("--detect", help="Say which scheme produced the "
                                         "(romanised) text: 'scheme<TAB>confidence'.")] = False,
    doubtful: Annotated[bool, typer.Option("--doubtful", help="With --to cyrillic, report "
                        "words guessed with confidence below 0.5 on stderr.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List the schemes with an example "
                                        "each.")] = False,
) -> None:
    """Romanise Russian by a named scheme, rebuild Cyrillic from any romanisation, or recognise
    the scheme of a romanised text."""
    from ..registry import UnknownName
    from ..translit import get_scheme, romanise, to_cyrillic

    if list_:
        _list()
        return
    if text is None:
        fail_usage("give TEXT, or '-' to read stdin (or --list)")
    if to not in ("latin", "cyrillic"):
        fail_usage(f"--to must be 'latin' or 'cyrillic', not {to!r}")
    if kind not in ("title", "name", "place"):
        fail_usage(f"--kind must be title, name or place, not {kind!r}")
    if to == "latin":
        scheme = configured("scheme", scheme)
    try:
        chosen = get_scheme(scheme or "bsi")
    except UnknownName as exc:
        fail_usage(f"--scheme: {exc}")
    lines, _ = _lines(text)
    if to == "cyrillic" and not detect:
        # the lines are read together, so that one line's habits help with another's
        whole = "\n".join(lines)
        rebuilt = to_cyrillic(whole, scheme=chosen.name if scheme else None)
        out = rebuilt.text.split("\n")
        for line in out:
            typer.echo(line)
        if doubtful:
            for word in rebuilt.doubtful:
                number = whole.count("\n", 0, max(0, word.start)) + 1
                sys.stderr.write(f"line {number}: {word.source} -> {word.text} "
                                 f"({word.confidence:.2f})\n")
        return
    for line in lines:
        if detect:
            typer.echo(_detect_line(line))
        else:
            typer.echo(romanise(line, chosen.name, kind=kind,
                                exceptions=False if no_exceptions else None))
