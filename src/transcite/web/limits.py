"""Time limits that hold: each request's work runs in a forked child process, which is killed
when the time is up, and which takes whatever it read with it when it ends.

A thread cannot be stopped, so a hostile or pathological input run in one would keep a core
busy after its answer had timed out. A forked child starts at once with everything the server
loaded and warmed (the parser's model, parsed styles) and is ended with SIGKILL at the limit.
The parent reads the child's answer from a pipe without blocking its event loop. Where there is
no ``fork`` (Windows) the work runs in a thread and the limit only bounds the wait.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

__all__ = ["Bug", "TimeLimit", "run_limited"]


class TimeLimit(Exception):
    """The work did not finish within its time limit and was stopped."""


class Bug(Exception):
    """The work raised an exception it should not have (a bug): its type and where, never its
    message, which could quote the user's text."""


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    place = " <- ".join(f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(frames))
    return f"{type(exc).__name__} at {place}"


def _child(write_fd: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Run ``fn(*args)`` and send ``("ok", result)`` or ``("bug", where)``; never returns."""
    status = 0
    try:
        os.setpgid(0, 0)        # its own group: killed with any workers it forks
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            payload = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a bug in the work: reported to the parent
            payload = pickle.dumps(("bug", _where(exc)))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view):]
    except BaseException:  # noqa: BLE001 - the child must never return into the server
        status = 1
    finally:
        os._exit(status)


async def _read_all(fd: int) -> bytes:
    loop = asyncio.get_running_loop()
    chunks: list[bytes] = []
    done: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError as exc:
            if not done.done():
                done.set_exception(exc)
            return
        if chunk:
            chunks.append(chunk)
        elif not done.done():
            done.set_result(None)

    os.set_blocking(fd, False)
    loop.add_reader(fd, readable)
    try:
        await done
    finally:
        loop.remove_reader(fd)
    return b"".join(chunks)


async def run_limited(fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
    """``fn(*args)`` run in a forked child that is killed after ``timeout`` seconds.

    Returns what ``fn`` returned (it must pickle). Raises :class:`TimeLimit` when time ran out
    and :class:`Bug` when ``fn`` raised; ``fn`` should turn the user's mistakes into values.
    """
    if not hasattr(os, "fork") or sys.platform == "win32":     # pragma: no cover - Windows
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn, *args), timeout)
        except TimeoutError:
            raise TimeLimit(f"stopped after {timeout:g} s") from None
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:                                  # the child
        os.close(read_fd)
        _child(write_fd, fn, args)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)        # set on both sides: no race with a kill below
    except OSError:
        pass
    finished = False
    try:
        data = await asyncio.wait_for(_read_all(read_fd), timeout)
        finished = True
    except TimeoutError:
        raise TimeLimit(f"stopped after {timeout:g} s") from None
    finally:
        os.close(read_fd)
        if not finished:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        await _reap(pid)
    if not data:
        raise Bug("the worker process ended without an answer")
    status, value = pickle.loads(data)
    if status == "bug":
        raise Bug(value)
    return value


async def _reap(pid: int) -> None:
    """Wait for the child without blocking the loop (it has closed its pipe or been killed)."""
    for _ in range(2000):
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        await asyncio.sleep(0.005)
    os.waitpid(pid, 0)      # pragma: no cover - a child that outlived its pipe by 10 s
