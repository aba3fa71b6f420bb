"""Reading bytes as text (UTF-8, UTF-8 with BOM, Windows-1251, KOI8-R) and writing atomically."""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .lazy import lazy_re

__all__ = ["DecodeFailure", "Decoded", "atomic_write", "decode_bytes", "read_text"]

_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_UPPER = _LOWER.upper()
_RUSSIAN_8BIT = ("cp1251", "koi8_r")
_NAMES = {"cp1251": "Windows-1251", "koi8_r": "KOI8-R", "utf-8": "UTF-8",
          "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16"}


class DecodeFailure(ValueError):
    """The bytes are not text in a supported encoding; the message says where and why."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the encoding it was read in (its display name)."""

    text: str
    encoding: str

    @property
    def guessed(self) -> bool:
        """True when the encoding was detected as a Russian 8-bit code page, not UTF-8."""
        return self.encoding in ("Windows-1251", "KOI8-R")


def _score(text: str) -> tuple[float, float, int]:
    """(share of non-ASCII chars that are Cyrillic letters, lowercase share, Cyrillic count)."""
    non_ascii = cyr = lower = 0
    for ch in text:
        if ch > "\x7f":
            non_ascii += 1
            if ch in _LOWER:
                cyr += 1
                lower += 1
            elif ch in _UPPER:
                cyr += 1
    if not non_ascii:
        return (1.0, 1.0, 0)
    return (cyr / non_ascii, lower / cyr if cyr else 0.0, cyr)


_WORD = lazy_re(r"[^\W\d_]+")


def _mixed_share(text: str) -> float:
    """Share of Cyrillic-bearing words that also hold Latin letters (a sign of a wrong guess)."""
    cyr_words = mixed = 0
    for word in _WORD.findall(text):
        has_cyr = any("\u0400" <= ch <= "\u04ff" for ch in word)
        if has_cyr:
            cyr_words += 1
            if any(ch.isascii() for ch in word):
                mixed += 1
    return mixed / cyr_words if cyr_words else 0.0


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode_bytes(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode file contents.

    With ``encoding`` given, that encoding is used strictly. Otherwise a UTF-8 or UTF-16 BOM is
    honoured, then strict UTF-8 is tried, then Windows-1251 and KOI8-R are told apart by the
    share of lowercase Cyrillic letters (Russian prose is mostly lowercase and each code page
    puts the other's lowercase letters in its uppercase range). Anything else raises
    :class:`DecodeFailure` naming the first bad byte's line and column.
    """
    if encoding:
        try:
            return Decoded(data.decode(encoding), _NAMES.get(codecs.lookup(encoding).name,
                                                              encoding))
        except LookupError:
            raise DecodeFailure(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            line, col = _position(data, exc.start)
            raise DecodeFailure(f"cannot be read as {encoding}: byte 0x{data[exc.start]:02X} "
                                f"at line {line}, column {col}", line) from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[3:].decode("utf-8"), "UTF-8 with BOM")
        except UnicodeDecodeError as exc:
            line, col = _position(data, exc.start + 3)
            raise DecodeFailure(f"starts with a UTF-8 byte order mark but byte "
                                f"0x{data[exc.start + 3]:02X} at line {line}, column {col} is "
                                "not UTF-8", line) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "UTF-16")
        except UnicodeDecodeError:
            raise DecodeFailure("starts with a UTF-16 byte order mark but is not UTF-16") from None
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    best: tuple[float, str, str] | None = None
    for enc in _RUSSIAN_8BIT:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        share, lower, count = _score(text)
        if _mixed_share(text) > 0.2:
            continue  # "CafИ crХme": Latin text read in the wrong code page
        if share >= 0.6 and count and (lower >= 0.5 or count < 20):
            key = lower + share
            if best is None or key > best[0]:
                best = (key, enc, text)
    if best is not None:
        return Decoded(best[2], _NAMES[best[1]])
    line, col = _position(data, first_bad)
    raise DecodeFailure(
        f"is not UTF-8 (byte 0x{data[first_bad]:02X} at line {line}, column {col}) and does not "
        "look like Russian text in Windows-1251 or KOI8-R; convert it to UTF-8 or name its "
        "encoding with --encoding", line)


def read_text(path: str | Path, encoding: str | None = None,
              stdin: IO[bytes] | None = None) -> Decoded:
    """Read a file (``-`` for standard input) and decode it with :func:`decode_bytes`."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return decode_bytes(stream.read(), encoding)
    return decode_bytes(Path(path).read_bytes(), encoding)


#: Temporary files being written, removed when a signal ends the process.
_LIVE: set[str] = set()
#: Signals after which the temporary files are removed (SIGKILL cannot be caught; the files it
#: leaves are removed by the next write beside them, see :func:`_remove_stale`).
_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGXFSZ", "SIGXCPU")
_TMP_MARK = ".transcite-"


def _on_signal(signum: int, frame: object) -> None:
    """Remove the temporary files, then let the signal do what it did before."""
    import signal

    for tmp in list(_LIVE):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _LIVE.discard(tmp)
    previous = _PREVIOUS.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


_PREVIOUS: dict[int, object] = {}


def _guard_signals() -> list[tuple[int, object]]:
    """Install :func:`_on_signal` for the catchable signals (main thread only); the handlers to
    put back."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return []
    restore: list[tuple[int, object]] = []
    for name in _SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            if signal.getsignal(signum) == signal.SIG_IGN:
                continue                        # ignored before: it stays ignored
            previous = signal.signal(signum, _on_signal)
        except (OSError, ValueError):
            continue
        if previous is not _on_signal:
            _PREVIOUS[signum] = previous
        restore.append((signum, previous))
    return restore


def _block_signals() -> object:
    """Hold back the guarded signals (they are delivered by :func:`_unblock`); what to pass
    it (None where signal masks are missing or this is not the main thread)."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        return None
    nums = {getattr(signal, n) for n in _SIGNALS if hasattr(signal, n)}
    try:
        return signal.pthread_sigmask(signal.SIG_BLOCK, nums)
    except (OSError, ValueError):
        return None


def _unblock(previous: object) -> None:
    import signal

    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # type: ignore[arg-type]


def _unguard(restore: list[tuple[int, object]]) -> None:
    import signal

    for signum, previous in reversed(restore):
        try:
            signal.signal(signum, previous)  # type: ignore[arg-type]
        except (OSError, ValueError, TypeError):
            continue


def _remove_stale(folder: str, name: str) -> None:
    """Remove temporary files a killed transcite left beside ``name`` (their process is gone)."""
    prefix = f".{name}{_TMP_MARK}"
    try:
        entries = [e for e in os.listdir(folder) if e.startswith(prefix) and e.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        pid_text = entry[len(prefix):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
            continue                            # that process still runs
        except ProcessLookupError:
            pass
        except OSError:
            continue                            # it runs as another user
        try:
            os.unlink(os.path.join(folder, entry))
        except OSError:
            continue


def _write_directly(path: str, write: Callable[[IO[str]], None]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        write(handle)


def atomic_write(path: str | Path, write: Callable[[IO[str]], None], *,
                 commit: Callable[[], bool] | None = None) -> bool:
    """Write a text file atomically: into a temporary file beside it, flushed to disk, then
    renamed over it. A failure while writing leaves any existing file untouched. ``-`` writes
    to stdout.

    Only regular files are replaced: a symbolic link is followed (the file it points to is
    replaced and the link stays); a FIFO, a device or anything under /dev or /proc is written
    directly. The temporary file is removed when writing fails or a signal ends the process;
    one left by a killed run is removed by the next write beside it.

    ``commit`` is asked, once everything is written to the temporary file, whether it may
    replace the file: when it says no, the temporary file is removed and False returned (a
    file written directly, standard output included, is written in any case).
    """
    if str(path) == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return True
    text = os.fspath(path)
    if text.startswith(("/dev/", "/proc/")):
        _write_directly(text, write)
        return True
    try:
        info = os.stat(text)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", text)
        _write_directly(text, write)
        return True
    real = os.path.realpath(text) if os.path.islink(text) else text
    folder, name = os.path.split(real)
    folder = folder or "."
    _remove_stale(folder, name)
    import tempfile  # (here: a run that writes to stdout does not pay for it)

    restore = _guard_signals()
    blocked = _block_signals()  # a signal now would find the file made but not yet listed
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}{_TMP_MARK}{os.getpid()}-", suffix=".tmp",
                                   dir=folder)
        _LIVE.add(tmp)
    except PermissionError:
        _unblock(blocked)
        _unguard(restore)
        if info is not None and os.access(real, os.W_OK):
            _write_directly(real, write)         # a writable file in a folder we cannot add to
            return True
        raise
    except BaseException:
        _unblock(blocked)
        _unguard(restore)
        raise
    _unblock(blocked)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if commit is not None and not commit():
            _LIVE.discard(tmp)
            os.unlink(tmp)
            return False
        if info is not None:
            os.chmod(tmp, info.st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, real)
        _LIVE.discard(tmp)
        _sync_folder(folder)
        return True
    except BaseException:
        _LIVE.discard(tmp)
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    finally:
        _unguard(restore)


def _sync_folder(folder: str) -> None:
    """Flush the rename to disk (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
