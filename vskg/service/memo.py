"""Results computed once per state of the store: the portfolio analysis is read by the overview page, the
portfolio map and the analytics API on every request, and only a write can change it.

Every write through `deps.run_write` moves the store on to a new generation; entries of older generations are
dropped. Only pure, read-only computations over the store belong here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from starlette.datastructures import State

from vskg.analytics.live import Change, LivePortfolio

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self.generation = 0
        self.analysis_generation = 0  # moves only with writes that can change what the analyses read
        self._lock = threading.Lock()
        self._values: dict[tuple[int, Hashable], Any] = {}
        self._analyses: dict[tuple[int, Hashable], Any] = {}
        self.live = LivePortfolio()  # the portfolio of every stream, patched by each write instead of recomputed

    def advance(self, *, analysis: bool = True, change: Change | None = None) -> None:
        """The store has been written to: forget everything computed before (the analyses only if ``analysis``,
        see `vskg.analytics.reads`); ``change`` says what the write did (None: not known)."""
        if analysis:
            self.live.written(change)
        with self._lock:
            self.generation += 1
            self._values.clear()
            if analysis:
                self.analysis_generation += 1
                self._analyses.clear()

    def analysis(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Like `get`, for an analysis: kept across writes that cannot change it."""
        with self._lock:
            generation = self.analysis_generation
            if (generation, key) in self._analyses:
                return self._analyses[generation, key]
        value = compute()
        with self._lock:
            if self.analysis_generation == generation:
                self._analyses[generation, key] = value
        return value

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` in this generation, computing it (outside the lock) if it is not known yet."""
        with self._lock:
            generation = self.generation
            if (generation, key) in self._values:
                return self._values[generation, key]
        value = compute()
        with self._lock:
            if self.generation == generation:  # a write in between makes the value stale: do not keep it
                self._values[generation, key] = value
        return value


def memo_of(state: State) -> Memo:
    if getattr(state, "memo", None) is None:
        state.memo = Memo()
    return state.memo
