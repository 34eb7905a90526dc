"""Running the service under uvicorn so that SIGTERM (or Ctrl-C) stops it within a few seconds.

uvicorn's own shutdown waits for every request in flight, and Python then waits for every worker thread before
the process ends. A request can keep a thread busy for minutes (a large document being parsed or validated),
and a thread cannot be stopped from outside, so a plain `uvicorn.run` can leave a server that no longer listens
but does not exit. Here:

- requests get ``GRACE_SECONDS`` to finish after the signal, then are cancelled (uvicorn's
  ``timeout_graceful_shutdown``);
- the query engine is stopped at once, so queries in flight get a 503 saying the service is shutting down;
- the application's shutdown then kills its child processes (the query engine, a page validation);
- the process ends as soon as that is done, without waiting for threads still at work: they only ever read the
  store or parse request bodies (writes happen in short transactions, and every write is atomic in the store);
- and should anything hang on the way, a watchdog started by the signal ends the process after
  ``WATCHDOG_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from vskg.memory import limit_arenas
from vskg.service.protocol import uvicorn_options

GRACE_SECONDS = 3.0
WATCHDOG_SECONDS = 8.0


class _Server(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        engine = getattr(getattr(self.config.app, "state", None), "engine", None)
        if engine is not None and not engine.closing:
            # Queries in flight are answered at once ("shutting down", a 503) rather than cut off after the grace.
            threading.Thread(target=engine.begin_shutdown, daemon=True).start()
        if not getattr(self, "_watchdog", None):
            self._watchdog = threading.Timer(WATCHDOG_SECONDS, _end, (1,))
            self._watchdog.daemon = True
            self._watchdog.start()


def _end(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def serve(app: ASGIApp, host: str, port: int) -> int:
    """Serve ``app`` until a signal stops it; returns the exit code (3 if the server could not start).

    Does not return normally once the server has run: the process ends here (see the module docstring).
    """
    limit_arenas()  # before uvicorn and the query pool start their threads (vskg.memory)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=int(GRACE_SECONDS),
        **uvicorn_options(),  # JSON answers from the HTTP layer, and its size limits
    )
    server = _Server(config)
    factory = config.get_loop_factory()
    loop = factory() if factory is not None else asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises Ctrl-C again once it has shut down
        loop.run_until_complete(server.serve())
    if not server.started:
        return 3
    _end(0)
    return 0
