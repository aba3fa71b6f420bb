"""Compile the CSL styles transcite ships into a folder of cache entries, as the wheel holds
them in ``transcite/_shipped/compiled`` (see ``transcite.compiled.shipped_folder``).

    python tools/precompile.py --out DIR       # run by hatch_build.py when the wheel is built

Each style in styles/csl is compiled for the settings runs ask for: plain text in its own
default locale, in Russian and in English (a journal profile renders each list item in its
own language), and HTML in its default locale (the Pandoc filter). An installed transcite then
finds them on the first run of a style and skips citeproc-py's parser and the compilation
(~25-40 ms); any other style, locale or output is compiled on its first run as before.

Only the engine is imported (citeproc-py and lxml are all it needs), from the source tree
beside this file unless ``transcite`` is importable already.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The settings every shipped style is compiled for: (locale, output); None is the style's
#: own default locale, as ``format --style`` passes it.
SETTINGS: tuple[tuple[str | None, str], ...] = (
    (None, "text"), ("ru-RU", "text"), ("en-US", "text"), (None, "html"))


def precompile(out: Path, styles: Path, say: bool = True) -> list[Path]:
    """Write the entries of every style in ``styles`` into ``out``; the files written."""
    from transcite.render.csl.cache import ship
    from transcite.render.styles import StyleInfo

    written: list[Path] = []
    for path in sorted(styles.glob("*.csl")):
        own = StyleInfo.from_file(path.stem, path, "shipped").default_locale   # as the CLI
        done: set[tuple[str | None, str]] = set()
        for locale, output in SETTINGS:
            wanted = (locale or own, output)
            if wanted in done:
                continue
            done.add(wanted)
            written.append(ship(path, locale or own, output, out))
        if say:
            print(f"compiled {path.name} ({len(done)} settings)")
    return written


def main() -> int:
    """Compile into --out."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="the folder to write into")
    ap.add_argument("--styles", type=Path, default=ROOT / "styles" / "csl",
                    help="the styles to compile (default: styles/csl)")
    args = ap.parse_args()
    try:
        import transcite  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
    written = precompile(args.out, args.styles)
    size = sum(p.stat().st_size for p in written)
    print(f"{len(written)} entries, {size / 1e6:.1f} MB, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
