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


def sandbox_call(
    server: SandboxServer,
    method: str,
    path: str,
    query: dict | None = None,
    body: Any = None,
    raw: bytes | None = None,
    content_type: str | None = None,
    api_key: str | None = "demo-key",
    timeout: float = 30.0,
) -> tuple[int, Any]:
    """One plain-urllib call to ``server.base_url + path``; returns (status, parsed JSON
    or raw bytes when the body is not JSON). ``api_key=None`` sends no key."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    q = dict(query or {})
    if api_key is not None:
        q["api_key"] = api_key
    url = server.base_url + path + ("?" + urllib.parse.urlencode(q) if q else "")
    data = raw
    headers = {}
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, payload = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, payload = err.code, err.read()
    try:
        return status, json.loads(payload)
    except ValueError:
        return status, payload
