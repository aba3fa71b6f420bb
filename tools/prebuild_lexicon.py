"""Build the back-transliteration lexicon into a folder, as the wheel holds it in
``transcite/_shipped/lexicon`` (see ``transcite.translit.lexicon.shipped_folder``).

    python tools/prebuild_lexicon.py --out DIR     # run by hatch_build.py when the wheel is built

Building it takes ~9 s (wordfreq's Russian and English word lists turned into tries); an
installed transcite then maps the wheel's copy on its first run instead of building one into
the user's cache. The copy is used only while the installed wordfreq is the one it was built
from (its STAMP names both versions); otherwise a run builds its own, as before.

Only ``transcite.translit`` is imported (wordfreq and marisa-trie are all it needs), from the
source tree beside this file unless ``transcite`` is importable already.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Build into --out."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="the folder to write into")
    args = ap.parse_args()
    try:
        import transcite  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
    from transcite.translit.lexicon import TRIES, build_lexicon

    build_lexicon(args.out)
    size = sum((args.out / f"{name}.marisa").stat().st_size for name in TRIES)
    stamp = (args.out / "STAMP").read_text(encoding="utf-8")
    print(f"lexicon {stamp}: {len(TRIES)} tries, {size / 1e6:.1f} MB, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
