"""``transcite format`` run without typer, when its command line is written in the usual forms.

Importing typer (and the click it carries) costs ~20 ms, a tenth of formatting a 300-entry
list, and a writing tool or an editor runs ``format`` once per document. :func:`run_fast`
reads the command line of ``format`` itself when every word of it is one of the forms below,
and runs the command (:func:`transcite.cli._format_run.run`) as typer would; anything else -
``--help``, an unknown or misspelt option, an option given twice, a value missing or looking
like an option, ``--``, shell completion, Windows (whose shell leaves wildcards to the
program) - is left to typer, which reads it, reports it and runs it as always. So the fast path
never decides anything typer would decide differently: it only accepts what it reads exactly as
typer does (tests/test_fast_format.py checks both against each other, option by option).

The forms read: the input files (any word not starting with ``-``, and ``-`` itself); an option
and its value as two words (``-s gost``, ``--style gost``) or as one (``--style=gost``); the
on/off flags (``--normalise``, ``--no-item-locale``...); ``--keys`` more than once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMAT_DEFAULTS", "FORMAT_FLAGS", "FORMAT_MULTIPLE", "FORMAT_VALUES", "parse_format",
           "run_fast"]

#: ``format``'s options that take a value: every name of each, and the parameter it sets.
FORMAT_VALUES = {
    "--output": "output", "-o": "output", "--to": "to", "-t": "to", "--style": "style",
    "-s": "style", "--profile": "profile", "-p": "profile", "--view": "view",
    "--locale": "locale", "-l": "locale", "--keys": "keys", "-k": "keys",
    "--keys-from": "keys_from", "--order": "order", "--sort": "sort", "--from": "from_",
    "-f": "from_", "--encoding": "encoding", "-O": "old_output",
}
#: Its on/off flags: the parameter each sets, and to what.
FORMAT_FLAGS = {
    "--item-locale": ("item_locale", True), "--no-item-locale": ("item_locale", False),
    "--normalise": ("normalise_", True), "--normalize": ("normalise_", True),
    "--no-normalise": ("normalise_", False), "--strict": ("strict", True),
}
#: The options that may be given more than once (their values are collected in a list).
FORMAT_MULTIPLE = frozenset({"keys"})
#: Every parameter's value when its option is not given.
FORMAT_DEFAULTS: dict[str, Any] = {
    "output": "-", "to": None, "style": None, "profile": None, "view": None, "locale": None,
    "keys": None, "keys_from": None, "order": "style", "sort": None, "item_locale": None,
    "from_": None, "encoding": None, "normalise_": False, "strict": False, "old_output": None,
}


def parse_format(args: Sequence[str]) -> dict[str, Any] | None:
    """The parameters of ``transcite format`` that the command line ``args`` (the words after
    ``transcite``) gives, as typer passes them to the command; None when ``args`` is not a
    ``format`` command line in the forms this module reads (see the module docstring)."""
    if not args or args[0] != "format":
        return None
    params = dict(FORMAT_DEFAULTS)
    given: set[str] = set()
    inputs: list[str] = []
    words = list(args[1:])
    n = 0
    while n < len(words):
        word = words[n]
        n += 1
        if word == "-" or not word.startswith("-"):
            inputs.append(word)
            continue
        name, eq, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        value: Any
        if name in FORMAT_FLAGS and not eq:
            dest, value = FORMAT_FLAGS[name]
        elif name in FORMAT_VALUES:
            dest = FORMAT_VALUES[name]
            if eq:
                value = attached
            elif n < len(words) and (words[n] == "-" or not words[n].startswith("-")):
                value = words[n]
                n += 1
            else:
                return None     # no value, or one that looks like an option
        else:
            return None         # --help, --, an unknown option, a flag given a value
        if dest in FORMAT_MULTIPLE:
            params[dest] = [*(params[dest] or []), value]
        elif dest in given:
            return None         # (typer takes the last; left to it)
        else:
            given.add(dest)
            params[dest] = value
    if not inputs:
        return None             # typer says an input is missing
    params["inputs"] = inputs
    return params


def run_fast(args: Sequence[str]) -> None:
    """Run ``transcite format`` when :func:`parse_format` reads ``args``, leaving with its exit
    status (SystemExit) as typer does; return at once when it does not, for typer to run."""
    if os.name == "nt" or "_TRANSCITE_COMPLETE" in os.environ:
        return
    params = parse_format(args)
    if params is None:
        return
    from ._format_run import run

    try:
        run(**params)
    except KeyboardInterrupt:       # (as typer ends a command interrupted)
        raise SystemExit(130) from None
    except EOFError:
        sys.stderr.write("\nAborted!\n")
        raise SystemExit(1) from None
    raise SystemExit(0)
