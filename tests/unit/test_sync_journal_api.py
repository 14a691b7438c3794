"""Journal's public API for upload bookkeeping (result, content, retarget), its file
rules (never creates a file unasked, never changes the journal mode) and the
executor's error classes."""

from __future__ import annotations

import sqlite3

import pytest

from plugin.api import errors as kerr
from plugin.sync import executor as ex
from plugin.sync import journal as jr
from plugin.sync.journal import Journal, JournalError, PlannedOp


@pytest.fixture()
def journal(tmp_path):
    j = Journal(str(tmp_path / "job.gpkg"), create=True)
    yield j
    j.close()


def upload(item="-NODEnode000000000001", data=b"\xff\xd8jpeg\xff\xd9", parents=()):
    return PlannedOp(
        "photo",
        item,
        "POST",
        f"/jobs/J/nodes/{item}/photos",
        {"target_kind": "node", "filename": "a.jpg"},
        params={"association_value": "true"},
        parent_ids=list(parents),
        content=data,
        content_type="image/jpeg",
    )


def test_a_missing_file_is_refused_unless_asked(tmp_path):
    path = tmp_path / "sub" / "job.gpkg"
    with pytest.raises(JournalError) as err:
        Journal(str(path))
    assert str(path) in str(err.value) and "download the job" in str(err.value)
    assert isinstance(err.value, FileNotFoundError)
    assert not (tmp_path / "sub").exists()


def test_the_journal_keeps_the_files_journal_mode(tmp_path):
    path = str(tmp_path / "job.gpkg")
    j = Journal(path, create=True)
    j.set_base([("node", "-n", None, {"id": "-n"})])
    j.close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        con.execute("PRAGMA journal_mode=WAL")  # QGIS editing the file
    finally:
        con.close()
    j = Journal(path)
    j.set_base([("node", "-m", None, {"id": "-m"})])
    j.close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # left as QGIS set it
    finally:
        con.close()


def test_result_and_drop_content(journal):
    (a, b) = journal.append([upload(), upload("-NODEnode000000000002", b"\xff\xd8other\xff\xd9")])
    assert journal.result(a) is None
    journal.mark_sent(a)
    journal.mark_done(a, result={"photo_id": "-P1"}, drop_content=True)
    assert journal.result(a) == {"photo_id": "-P1"}
    assert journal.content(a) is None
    assert journal.get(a).content_sha256  # the hash stays: de-duplication
    assert journal.content(b) is not None
    assert journal.drop_content([b]) == 0  # not done: its bytes are still needed
    assert journal.content(b) is not None
    journal.mark_done(b, result={"id": "-P2"})
    assert journal.content(b) is not None
    assert journal.drop_content([a, b]) == 1
    assert journal.content(b) is None and journal.result(b) == {"id": "-P2"}
    assert journal.result("no-such-op") is None


def test_retarget_only_an_unsent_op(journal):
    (op_id,) = journal.append([upload()])
    assert journal.retarget(
        op_id,
        entity_id="midpoint_section",
        path="/jobs/J/connections/-C/sections/midpoint_section/photos",
        params={"association_value": "main"},
        body={"target_kind": "section", "connection_id": "-C"},
        parent_ids=["-C"],
    )
    op = journal.get(op_id)
    assert (op.entity_id, op.path, op.params, op.parent_ids) == (
        "midpoint_section",
        "/jobs/J/connections/-C/sections/midpoint_section/photos",
        {"association_value": "main"},
        ["-C"],
    )
    assert op.body["target_kind"] == "section"
    assert journal.content(op_id) == b"\xff\xd8jpeg\xff\xd9"  # the photo itself is unchanged
    journal.mark_sent(op_id)
    assert not journal.retarget(op_id, entity_id="-X", path="/jobs/J/photos")
    assert journal.get(op_id).entity_id == "midpoint_section"
    assert not journal.retarget("no-such-op", entity_id="-X", path="/x")


@pytest.mark.parametrize(
    "exc, method, outcome",
    [
        (kerr.ForbiddenError(status=403, type="forbidden"), "POST", ex.AUTH),
        (kerr.AuthError(status=401), "POST", ex.AUTH),
        (kerr.CancelledError(), "POST", ex.CANCELLED),
        (kerr.RateLimitError(kind="token", status=429), "POST", "ratelimit"),
        (kerr.NotFoundError(status=404), "DELETE", "done"),
        (kerr.NotFoundError(status=404), "POST", "failed"),
        (kerr.ValidationError(status=400, type="invalid_field"), "POST", "failed"),
        (kerr.UnknownOutcomeError(), "POST", "transient"),
        (kerr.ServerError(status=500), "POST", "transient"),
        (kerr.KatapultError(status=418), "POST", "failed"),
        (kerr.KatapultError(), "POST", "transient"),
        (RuntimeError("bug"), "POST", "failed"),
    ],
)
def test_executor_classifies_by_error_class(journal, exc, method, outcome):
    op = jr.Operation(
        "op", 1, "node", "-N", method, "/jobs/J/nodes/-N", None, {}, [], [], "sent", 1, None, None
    )
    assert ex.Executor(journal, None, "J")._classify(op, exc) == outcome
