"""Compile the CSL engine's hot modules with mypyc, as the wheel holds them.

    python tools/build_native.py --out DIR        # run by hatch_build.py when the wheel is built

The modules in :data:`MODULES` (the render nodes, names, dates, rich text, sorting and
disambiguation: where a long list's time goes) are typed throughout, and mypyc turns them into
C extension modules; the rest of transcite stays Python. ``DIR`` receives a copy of the
package (``DIR/transcite``) with each compiled module's extension beside its ``.py`` (Python
imports the extension first, and the shipped styles as a wheel holds them, so that the copy
runs whole) and mypyc's shared runtime at ``DIR``'s top level; the tool
prints the extension files, one per line, relative to ``DIR``. The build hook puts them into
the wheel and compiles the shipped styles with this engine (``tools/precompile.py``).

Needs mypy (which carries mypyc), setuptools and a C compiler; without them, or on any
failure, the tool exits non-zero and the wheel is built without the extensions (the engine
then runs as Python: the same output, slower).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The modules compiled (paths inside the package). Left out: the style compiler (its
#: classes extend citeproc-py's lxml elements), the processor and the conditions (pickled by
#: the style cache as Python objects), the cache, the workers' glue, the on-disk item store.
MODULES = tuple(f"transcite/render/csl/{m}.py" for m in (
    "ambig", "cites", "dates", "datevals", "disambig", "fmt", "givennames", "item", "locale",
    "names", "nodes", "numbers", "output", "rich", "roles", "sort", "textcase"))

_SETUP = """
import sys
from mypyc.build import mypycify
from setuptools import setup

modules = sys.argv[1].split(",")
jobs = sys.argv[2]
setup(name="transcite-native", py_modules=[],
      ext_modules=mypycify(["--config-file", "mypy.ini", *modules], opt_level="3",
                           group_name="transcite_native", multi_file=True),
      script_args=["build_ext", "--inplace", "--parallel", jobs])
"""

_MYPY_INI = "[mypy]\npython_version = {v}\nignore_missing_imports = True\n"


def build(out: Path, jobs: int) -> list[Path]:
    """Compile :data:`MODULES` into ``out``; the extension files made (relative to ``out``)."""
    out.mkdir(parents=True, exist_ok=True)
    package = out / "transcite"
    if package.exists():
        shutil.rmtree(package)
    shutil.copytree(ROOT / "src" / "transcite", package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "_shipped"))
    for folder in ("styles", "references"):     # as the wheel holds them: the copy runs whole
        shutil.copytree(ROOT / folder, package / "_shipped" / folder)
    (out / "mypy.ini").write_text(
        _MYPY_INI.format(v=f"{sys.version_info.major}.{sys.version_info.minor}"),
        encoding="utf-8")
    (out / "build_native_setup.py").write_text(_SETUP, encoding="utf-8")
    done = subprocess.run([sys.executable, "build_native_setup.py", ",".join(MODULES),
                           str(jobs)], cwd=out, capture_output=True, text=True, timeout=1200,
                          env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise SystemExit(f"mypyc failed:\n{tail}")
    made = sorted(p.relative_to(out) for p in out.rglob("*")
                  if p.suffix in (".so", ".pyd") and "build" not in p.relative_to(out).parts)
    compiled = {str(p.with_suffix("")).split(".")[0] for p in made}
    missing = [m for m in MODULES if m[:-3] not in compiled]
    if missing:
        raise SystemExit(f"mypyc made no extension for {', '.join(missing)}")
    return made


def main() -> int:
    """Command line: ``--out DIR`` (and ``--jobs N``)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="the folder to build into")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="C files compiled at once (default: the machine's cores)")
    args = ap.parse_args()
    for path in build(args.out, max(1, args.jobs)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
