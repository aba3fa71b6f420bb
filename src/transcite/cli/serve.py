"""``transcite serve``: the page for editors (paste a reference list, get both lists)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from . import app
from ._common import fail_usage

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command(epilog="Examples:  transcite serve  |  transcite serve --port 8080  |  "
             "curl -s localhost:8000/api/format -d '{\"text\": \"Иванов И. И. Заглавие. М.: "
             "Наука, 2001. 200 с.\"}'")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on. The default is this machine "
                                      "only; give 0.0.0.0 to serve others (and mind who).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8000,
    max_kb: Annotated[int, typer.Option("--max-kb", help="Largest request accepted, in KB "
                                        "(a pasted list or an uploaded file).")] = 2048,
    timeout: Annotated[float, typer.Option(help="Seconds one request may take; its work is "
                                           "stopped after that.")] = 60.0,
    jobs: Annotated[int, typer.Option(help="Requests worked on at once (others wait).")] = 2,
) -> None:
    """Serve the page for editors: paste a reference list (or drop a file), pick a journal
    profile, and get the original list and the romanised References list side by side, every
    problem at its line, with copy buttons and downloads. Also a JSON API (/api/format,
    /api/parse; GET /api describes them). Needs the web extra: pip install 'transcite[web]'.

    Nothing sent is stored or logged. Stop the server with Ctrl-C.
    """
    try:
        import uvicorn

        from ..web.app import Limits, create_app, warm
    except ImportError as exc:
        fail_usage(f"'transcite serve' needs the web extra ({exc.name} is missing): "
                   f"pip install 'transcite[web]'")
        return
    if max_kb < 1 or timeout <= 0 or jobs < 1:
        fail_usage("--max-kb, --timeout and --jobs must be positive")
    if not 0 <= port <= 65535:
        fail_usage(f"--port must be 0-65535, not {port}")
    limits = Limits(max_bytes=max_kb * 1024, timeout=timeout, jobs=jobs)
    hosts = [*_LOOPBACK, "[::1]"] if host in _LOOPBACK else ["*"]
    warm()
    config = uvicorn.Config(create_app(limits, allowed_hosts=hosts), host=host, port=port,
                            access_log=False, log_level="warning", server_header=False,
                            timeout_keep_alive=5, limit_concurrency=64, lifespan="off")
    server = uvicorn.Server(config)
    display = f"[{host}]" if ":" in host else host

    def started() -> None:
        for srv in server.servers:
            for sock in srv.sockets:
                bound = sock.getsockname()[1]
                typer.echo(f"transcite serve: http://{display}:{bound}/  (Ctrl-C to stop)",
                           err=True)
                return

    _run(server, started)


def _run(server: Any, started: Any) -> None:
    """Run uvicorn and announce the address once it listens (port 0 picks a free one)."""
    import asyncio

    async def main() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started:
            started()
        await task

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
