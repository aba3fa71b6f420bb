"""Options and helpers shared by the commands that ask Crossref (``lookup``, ``enrich``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..model import Report
from ._common import fail_usage

__all__ = ["CacheDir", "Mailto", "NoCache", "Offline", "make_client", "report_client"]

Offline = Annotated[bool, typer.Option("--offline", help="Do not use the network: answer from "
                                       "the cache only.")]
Mailto = Annotated[str | None, typer.Option("--mailto", help="Contact address sent to Crossref "
                                            "(default: [crossref] mailto in config.toml or "
                                            "$TRANSCITE_MAILTO).")]
CacheDir = Annotated[str | None, typer.Option("--cache-dir", help="Where answers are cached "
                                              "(default: $TRANSCITE_CACHE or "
                                              "~/.cache/transcite).")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]


def make_client(offline: bool, mailto: str | None, cache_dir: str | None, no_cache: bool
                ) -> Any:
    """A Crossref client from the configuration and these options (bad config: exit 2)."""
    from ..lookup.crossref import CrossrefClient, CrossrefSettings
    from ..resources import DataError

    if offline and no_cache:
        fail_usage("--offline needs the cache; drop --no-cache")
    overrides: dict[str, Any] = {"offline": offline or None, "mailto": mailto}
    if cache_dir is not None:
        overrides["cache_dir"] = cache_dir
    try:
        settings = CrossrefSettings.from_config(**overrides)
    except (DataError, ValueError, TypeError) as exc:
        fail_usage(f"configuration: {exc}")
        raise  # unreachable: fail_usage exits
    if no_cache:
        from dataclasses import replace

        settings = replace(settings, cache_dir=None)
    return CrossrefClient(settings)


def report_client(client: Any, report: Report) -> bool:
    """Add what the whole run should know about the client (skipped lookups, no contact);
    True when Crossref could not be reached or refused (the command then exits 3)."""
    if client.stats.skipped:
        report.warning("crossref.skipped", f"{client.stats.skipped} lookup(s) skipped after "
                       f"Crossref stopped answering ({client.settings.base_url})")
    if client.stats.requests and not client.settings.mailto:
        report.add("info", "crossref.no-contact", "no contact address was sent to Crossref; "
                   "set mailto in the [crossref] table of config.toml or TRANSCITE_MAILTO")
    return bool(client.stats.unavailable or client.stats.skipped)
