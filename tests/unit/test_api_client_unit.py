"""Narrow client unit tests that need no server."""
from __future__ import annotations

import pytest
import requests

from plugin.api import errors as E  # noqa: N812
from plugin.api.client import KatapultClient, check_jpeg
from plugin.api.pacing import Governor


class _ExplodingSession(requests.Session):
    def request(self, *args, **kwargs):
        raise RuntimeError("a bug far below")


def test_unexpected_exception_frees_the_governor_slot():
    gov = Governor(min_interval_s=0.0)
    client = KatapultClient("http://127.0.0.1:9/api/v3", "unit-key", governor=gov,
                            session=_ExplodingSession())
    for _ in range(3):  # a leaked in-flight probe would block the second paid call forever
        with pytest.raises(RuntimeError):
            client.list_jobs()
    assert gov.waiting() == {"interactive": 0, "bulk": 0} and gov.stats.calls == 3


def test_repr_and_errors_never_show_key():
    client = KatapultClient("http://127.0.0.1:9/api/v3", "unit-secret-key-1")
    assert "unit-secret-key-1" not in repr(client)


def test_check_jpeg():
    good = b"\xff\xd8\xff\xe0" + b"\x00" * 20 + b"\xff\xd9"
    assert check_jpeg(good) == good
    assert check_jpeg(bytearray(good + b"\x00\x00")) == good + b"\x00\x00"  # padding is fine
    with pytest.raises(E.ValidationError, match="PNG"):
        check_jpeg(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    with pytest.raises(E.ValidationError, match="incomplete"):
        check_jpeg(good[:-2])


def test_request_validates_body_combination():
    client = KatapultClient("http://127.0.0.1:9/api/v3", "unit-key")
    with pytest.raises(ValueError):
        client.request("POST", "/jobs", json={}, data=b"x")
