"""The wheel's build hook: what a first run would otherwise build goes into the wheel built.

- ``tools/build_native.py`` compiles the CSL engine's hot modules with mypyc into C extension
  modules (~40 s); the wheel then holds them beside their ``.py`` files and is tagged for this
  Python and platform. Without a C compiler, or on any failure, the wheel is built without
  them (the engine runs as Python: the same output, slower), with a warning;
  ``TRANSCITE_BUILD_PURE=1`` skips them.
- ``tools/precompile.py`` compiles every style in styles/csl (with the engine of the source
  being built, compiled if it was) into ``transcite/_shipped/compiled``; see
  :func:`transcite.compiled.shipped_folder`.
- ``tools/prebuild_lexicon.py`` builds the back-transliteration lexicon from wordfreq's word
  lists into ``transcite/_shipped/lexicon`` (~9 s, 12 MB); see
  :func:`transcite.translit.lexicon.shipped_folder`.

Each runs in a separate process into a temporary folder. If one fails the wheel is built
without its part (a first run then builds it into the user's cache, as before), with a
warning. Editable installs skip both (their first run builds into the user's cache), and so
does a build with ``TRANSCITE_BUILD_UNCOMPILED=1`` set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledStyles(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the shipped styles and build the lexicon into the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build each part into a temporary folder and include it (standard wheels only)."""
        self._folders: list[str] = []
        if self.target_name != "wheel" or version == "editable" or os.environ.get(
                "TRANSCITE_BUILD_UNCOMPILED"):
            return
        root = Path(self.root)
        engine = self._native(build_data)
        parts = (
            ("compiled", [str(root / "tools" / "precompile.py"), "--styles",
                          str(root / "styles" / "csl")],
             "the shipped styles are not compiled into the wheel", "first runs will compile them"),
            ("lexicon", [str(root / "tools" / "prebuild_lexicon.py")],
             "the back-transliteration lexicon is not in the wheel",
             "the first run that needs it will build it (~9 s)"),
        )
        for name, tool, missing, then in parts:
            # the styles are compiled by the engine the wheel holds (pickled objects of its
            # classes); the lexicon needs no engine
            found = self._build(tool, missing, then,
                                engine if name == "compiled" else str(root / "src"))
            if found is not None:
                folder = found[0]
                self._folders.append(folder)
                build_data["force_include"][folder] = f"transcite/_shipped/{name}"

    def _native(self, build_data: dict[str, Any]) -> str:
        """Compile the engine's hot modules (``tools/build_native.py``) and put the extension
        modules into the wheel; the folder to import the package being built from (the
        compiled copy, or ``src`` when compiling failed or was skipped)."""
        src = str(Path(self.root) / "src")
        if os.environ.get("TRANSCITE_BUILD_PURE"):
            return src
        found = self._build([str(Path(self.root) / "tools" / "build_native.py")],
                            "the CSL engine is not compiled into the wheel",
                            "it runs as Python (the same output, slower)", src, timeout=1500)
        if found is None:
            return src
        folder, listed = found
        self._folders.append(folder)
        for line in listed.splitlines():
            rel = line.strip()
            if rel:
                build_data["force_include"][str(Path(folder) / rel)] = rel.replace(os.sep, "/")
        build_data["pure_python"] = False
        build_data["infer_tag"] = True      # extension modules: this Python, this platform
        return folder

    def _build(self, tool: list[str], missing: str, then: str, source: str,
               timeout: int = 600) -> tuple[str, str] | None:
        """Run ``tool --out FOLDER`` with the package imported from ``source``; the folder
        and what the tool printed, or None (with a warning) when it failed."""
        folder = tempfile.mkdtemp(prefix="transcite-shipped-")
        # The build environment's own path (pip puts the build dependencies on it) stays.
        path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)
        env = dict(os.environ, PYTHONPATH=path, TRANSCITE_NO_CACHE="1")
        try:
            done = subprocess.run([sys.executable, tool[0], "--out", folder, *tool[1:]],
                                  env=env, capture_output=True, text=True, timeout=timeout)
            failed = done.returncode != 0
            problem = (done.stderr.strip().splitlines() or ["no message"])[-1]
        except (OSError, subprocess.SubprocessError) as exc:
            failed, problem = True, str(exc)
        if failed:
            self.app.display_warning(f"transcite: {missing} ({problem}); {then}")
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return folder, done.stdout

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary folders."""
        for folder in getattr(self, "_folders", []):
            shutil.rmtree(folder, ignore_errors=True)
