"""Data compiled once and kept between runs, in the user's cache folder.

Every run of transcite used to parse and compile its CSL style and locales, load and index its
journal registry, read its profiles: work that gives the same result until a file changes.
:func:`load_or_build` keeps such results pickled under ``<cache folder>/compiled/<kind>/`` (see
:func:`transcite.resources.default_cache_dir`), named by a key made of:

* the content of every file the result was built from (a changed style, locale or table is a
  different key: a new entry, never a stale one);
* transcite's version, the Python version, and a stamp of the modules whose classes the result
  holds (their names, sizes and times), so that an upgrade - or an edited checkout - never
  reads an entry another version wrote.

An entry is written atomically (a temporary file renamed into place) and starts with a hash of
its contents: a truncated, damaged or unreadable entry - or one pickle cannot load - is ignored
and rebuilt, never trusted. ``TRANSCITE_NO_CACHE=1`` turns the cache off (nothing read or
written; the entries built into the package, :func:`shipped_folder`, are still read: they are
part of it); a cache folder that cannot be written only costs the rebuild.

The cache holds pickles: like the files it is built from, it is the user's own data, in the
user's own folder; the only other pickles read are those the package itself holds
(:func:`shipped_folder`), written when it was built (nothing from elsewhere is ever
unpickled).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from hashlib import _Hash

__all__ = ["MAGIC", "cache_dir", "code_stamp", "content_stamp", "enabled", "entry_bytes",
           "finish_writing", "key", "load", "load_or_build", "sha256", "shipped_folder", "store",
           "store_later", "writing"]

T = TypeVar("T")

#: Every entry starts with this, then the SHA-256 of the pickle that follows.
MAGIC = b"transcite-compiled-1\n"

#: Entries kept per kind (the oldest beyond this are removed when one is written).
KEEP = 64


def sha256(data: bytes = b"", long: bool = False) -> _Hash:
    """A SHA-256 hash object: CPython's own implementation when it has one (``hashlib`` loads
    OpenSSL first, ~2 ms of every run), else hashlib's - and hashlib's for data over a
    megabyte, or ``long`` data to come by updates (OpenSSL's is several times faster: ~2 ms
    against 11 for a 3.7 MB file). The digest is the same."""
    if long or len(data) > 1 << 20:
        import hashlib

        return hashlib.sha256(data)
    try:
        from _sha2 import sha256 as own  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256 as own  # Python 3.11
        except ImportError:
            from hashlib import sha256 as own
    return cast("_Hash", own(data))


#: The file endings of extension modules (a compiled engine's modules: ``.so``, ``.pyd``).
_EXTENSIONS = (".so", ".pyd")


def enabled() -> bool:
    """Whether the cache is used (``TRANSCITE_NO_CACHE`` unset or ``0``)."""
    return os.environ.get("TRANSCITE_NO_CACHE", "") in ("", "0")


def cache_dir(kind: str) -> Path:
    """The folder of one kind of entry."""
    from .resources import default_cache_dir

    return default_cache_dir() / "compiled" / kind


def code_stamp(*parts: str) -> str:
    """A stamp of transcite's code the entries hold objects of: the Python files of each part
    (a package as a dotted name, e.g. ``render.csl``, or a module file, e.g. ``journals.py``),
    by name, size and modification time, so that entries written by other code are never
    read."""
    h = sha256()
    for part, path in _code_files(parts):
        try:
            st = os.stat(path)
        except OSError:
            continue
        h.update(f"{part}/{path.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def content_stamp(*parts: str) -> str:
    """A stamp of transcite's code like :func:`code_stamp`, made of the files' contents
    rather than their sizes and times: the same wherever the same code is installed, so it
    names the entries built into the package (:func:`shipped_folder`)."""
    h = sha256()
    for part, path in _code_files(parts):
        if path.name.endswith(_EXTENSIONS):     # built from the .py beside it: its name
            h.update(f"{part}/{path.name}\n".encode())     # says it is there
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        h.update(f"{part}/{path.name}:{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def _code_files(parts: Iterable[str]) -> Iterable[tuple[str, Path]]:
    root = Path(__file__).resolve().parent
    for part in parts:
        if part.endswith(".py"):
            yield part, root / part
            continue
        folder = root.joinpath(*part.split("."))
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.endswith(".py") or name.endswith(_EXTENSIONS):
                # an extension module: the engine compiled by the wheel's build (see
                # tools/build_native.py), whose objects are pickled otherwise
                yield part, folder / name


def shipped_folder() -> Path:
    """Where the package keeps entries compiled when it was built (``_shipped/compiled``,
    written by ``tools/precompile.py`` from the wheel's build hook): the styles transcite
    ships, compiled, so that even the first run of one skips the compilation. A source
    checkout has none."""
    return Path(__file__).resolve().parent / "_shipped" / "compiled"


def key(kind: str, parts: Iterable[bytes | str], stamp: str = "") -> str:
    """The key of an entry: ``kind``, the given parts (file contents, settings), transcite's
    and Python's versions and ``stamp`` (see :func:`code_stamp`)."""
    from . import __version__

    encoded = [part.encode("utf-8") if isinstance(part, str) else part
               for part in (kind, __version__, sys.implementation.cache_tag or "", stamp, *parts)]
    h = sha256(long=sum(map(len, encoded)) > 1 << 20)     # (a long file's bytes among them)
    for data in encoded:
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def load_or_build(kind: str, entry_key: str, build: Callable[[], T],
                  dump: Callable[[T], bytes] | None = None,
                  load: Callable[[bytes], T] | None = None,
                  shipped: Callable[[], str] | None = None) -> T:
    """The entry ``entry_key`` of ``kind`` if it is there and sound, else ``build()`` (stored
    for the next run). ``dump``/``load`` replace :func:`pickle.dumps`/:func:`pickle.loads`
    for values that need their own pickling; a value ``dump`` cannot take is not stored.
    ``shipped`` gives the key of the same entry among those built into the package (see
    :func:`shipped_folder`), looked for before building: one found there is copied into the
    cache. The package's own entries are part of it, not a cache: they are read when the
    cache is off too (nothing is copied then)."""
    path = cache_dir(kind) / f"{entry_key}.pickle" if enabled() else None
    if path is not None:
        found = _read(path, load or pickle.loads)
        if found is not None:
            return cast(T, found[0])
    if shipped is not None:
        built_in = shipped_folder() / kind / f"{shipped()}.pickle"
        found = _read(built_in, load or pickle.loads, keep_raw=path is not None)
        if found is not None:
            if path is None:
                return found[0]     # type: ignore[no-any-return]
            value, raw = found[0]
            _write(path, raw[len(MAGIC) + 32:])
            return value        # type: ignore[no-any-return]
    if path is None:
        return build()
    value = build()
    try:
        data = (dump or _dumps)(value)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return value        # not picklable: built every time, as before
    _write(path, data)
    return value


def load(kind: str, entry_key: str) -> tuple[Any] | None:
    """``(value,)`` of the entry ``entry_key`` of ``kind`` if it is there and sound, else None
    (also when the cache is off)."""
    if not enabled():
        return None
    return _read(cache_dir(kind) / f"{entry_key}.pickle", pickle.loads)


def store(kind: str, entry_key: str, data: bytes, keep: int = KEEP) -> None:
    """Keep ``data`` (a pickle) as the entry ``entry_key`` of ``kind``, and at most ``keep``
    entries of the kind (nothing is written when the cache is off)."""
    if enabled():
        _write(cache_dir(kind) / f"{entry_key}.pickle", data, keep)


def entry_bytes(payload: bytes) -> bytes:
    """The bytes of an entry file holding ``payload`` (a pickle): :data:`MAGIC`, the
    payload's SHA-256, the payload."""
    return MAGIC + sha256(payload).digest() + payload


#: Forked processes still writing entries (see :func:`store_later`).
_writing: list[int] = []


def store_later(kind: str, entry_key: str, make: Callable[[], bytes | None],
                keep: int = KEEP, background: bool = False) -> None:
    """Keep ``make()`` (a pickle; None: nothing to keep) as the entry ``entry_key`` of
    ``kind``. With ``background``, and where this process can fork safely (one thread), a
    forked process makes and writes it at low priority while this one goes on (its workers
    take no notice of it: :func:`transcite.workers.busy`); :func:`finish_writing` (run at
    exit) waits for it."""
    if not enabled():
        return
    threads = sys.modules.get("threading")
    pid = -1        # written here
    if background and hasattr(os, "fork") and (threads is None or threads.active_count() < 2):
        from .workers import flush_output

        flush_output()
        try:
            pid = os.fork()
        except OSError:
            pid = -1
    if pid < 0:
        data = make()
        if data is not None:
            store(kind, entry_key, data, keep)
        return
    if pid == 0:        # the child: write the entry, nothing else, and leave
        try:
            try:
                os.nice(10)     # a core the run's own workers want is theirs first
            except OSError:
                pass
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            data = make()
            if data is not None:
                _write(cache_dir(kind) / f"{entry_key}.pickle", data, keep)
        finally:
            os._exit(0)
    if not _writing:
        import atexit

        atexit.register(finish_writing)
    _writing.append(pid)


def writing() -> int:
    """How many of the processes :func:`store_later` started are still writing (the others
    are reaped)."""
    for pid in list(_writing):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except OSError:
            done = pid
        if done:
            _writing.remove(pid)
    return len(_writing)


def finish_writing() -> None:
    """Wait for the entries :func:`store_later` is writing in other processes."""
    while _writing:
        pid = _writing.pop()
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _read(path: Path, load: Callable[[bytes], Any], keep_raw: bool = False
          ) -> tuple[Any] | None:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    head = len(MAGIC) + 32
    if len(raw) < head or not raw.startswith(MAGIC):
        return None
    payload = raw[head:]
    if sha256(payload).digest() != raw[len(MAGIC):head]:
        return None
    try:
        return ((load(payload), raw),) if keep_raw else (load(payload),)
    except Exception:  # noqa: BLE001 - a cache entry that cannot be loaded is rebuilt
        return None


def _write(path: Path, payload: bytes, keep: int = KEEP) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _new_file(path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(entry_bytes(payload))
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        _prune(path.parent, keep)
    except OSError:
        pass        # a cache that cannot be written only costs the rebuild next time


def _new_file(folder: Path) -> tuple[int, str]:
    """A new file of this process's own in ``folder``, opened for writing (what
    :func:`tempfile.mkstemp` gives, without importing tempfile and the random module: ~1 ms
    of a run that writes an entry)."""
    for n in range(100):
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{n}-{os.urandom(4).hex()}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no free temporary name")


def _prune(folder: Path, keep: int = KEEP) -> None:
    entries = []
    for name in os.listdir(folder):
        if name.endswith(".pickle"):
            try:
                entries.append((os.stat(folder / name).st_mtime_ns, name))
            except OSError:
                continue
    for _, name in sorted(entries, reverse=True)[keep:]:
        try:
            os.unlink(folder / name)
        except OSError:
            pass
