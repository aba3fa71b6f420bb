"""The wheel's build hook: the styles transcite ships go into the wheel compiled.

``tools/precompile.py`` compiles every style in styles/csl (with the engine of the source being
built, in a separate process) into a temporary folder, included in the wheel as
``transcite/_shipped/compiled``; see :func:`transcite.compiled.shipped_folder`. If it fails
the wheel is built without them (a first run then compiles the style, as before), with a
warning. Editable installs skip it (their first run compiles into the user's cache), and so
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
    """Compile the shipped styles into the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile into a temporary folder and include it (standard wheels only)."""
        self._folder: str | None = None
        if self.target_name != "wheel" or version == "editable" or os.environ.get(
                "TRANSCITE_BUILD_UNCOMPILED"):
            return
        folder = tempfile.mkdtemp(prefix="transcite-compiled-")
        root = Path(self.root)
        # The build environment's own path (pip puts the build dependencies on it) stays.
        path = os.pathsep.join(p for p in (str(root / "src"), os.environ.get("PYTHONPATH"))
                               if p)
        env = dict(os.environ, PYTHONPATH=path, TRANSCITE_NO_CACHE="1")
        try:
            done = subprocess.run(
                [sys.executable, str(root / "tools" / "precompile.py"), "--out", folder,
                 "--styles", str(root / "styles" / "csl")],
                env=env, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            done = None
            problem = str(exc)
        else:
            problem = (done.stderr.strip().splitlines() or ["no message"])[-1]
        if done is None or done.returncode != 0:
            self.app.display_warning("transcite: the shipped styles are not compiled into the "
                                     f"wheel ({problem}); first runs will compile them")
            shutil.rmtree(folder, ignore_errors=True)
            return
        self._folder = folder
        build_data["force_include"][folder] = "transcite/_shipped/compiled"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary folder."""
        if getattr(self, "_folder", None):
            shutil.rmtree(str(self._folder), ignore_errors=True)
