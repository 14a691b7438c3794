"""Shared pytest fixtures: a running Katapult sandbox on 127.0.0.1.

``sandbox``: a function-scoped ``SandboxServer`` with a small (10-node) sample
job, ``time_scale=60`` (refill period 1 s, general interval 50/60 ms) and the
default 10,000-token bucket. ``sandbox.base_url``, ``sandbox.job_id``,
``sandbox.api_key`` ("demo-key"), ``sandbox.store`` for direct assertions.

``sandbox_factory(**kwargs)``: start servers with custom constructor args
(defaults: port 0, api_key "demo-key"); all are stopped at teardown.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from plugin.sandbox import SandboxServer


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., SandboxServer]]:
    started: list[SandboxServer] = []

    def make(**kwargs: Any) -> SandboxServer:
        kwargs.setdefault("port", 0)
        server = SandboxServer(**kwargs).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def sandbox(sandbox_factory: Callable[..., SandboxServer]) -> SandboxServer:
    return sandbox_factory(sample_nodes=10, seed=1, time_scale=60)
