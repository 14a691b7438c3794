"""Durable write journal inside the job's GeoPackage (plain sqlite3, no qgis).

A GeoPackage is an sqlite database, so the journal (``kp_journal``) and the
base snapshot (``kp_base``) live in the same file as the layers.  QGIS (OGR)
may hold the file open while the worker writes: every transaction is short,
uses ``BEGIN IMMEDIATE`` and a generous busy timeout, and connections are per
thread.

The journal never changes the file's journal mode.  QGIS (with GDAL >= 3.4.2)
opens a GeoPackage layer that is not being edited read-only with GDAL's
``NOLOCK`` option when the file is not in WAL mode; such a handle cannot read
a WAL database, so switching the file to WAL behind its back made every open
layer read 0 features ("unable to open database file") until it was reloaded.
The job's layers are put in update mode when they enter the project
(``layers.project.hold_update_mode``): QGIS then runs the file in WAL itself,
with locking connections, and the journal's writes never disturb a reader.

Operation life cycle::

    pending -> sent -> done
                    -> failed   (server refused it: validation, not found)
    pending -> held            (depends on a failed/held op, or a conflict)
    failed/held -> pending     (retry / conflict resolved)

``sent`` means "may have reached the server"; a crash leaves it ``sent`` and
the executor resends it (every operation is an idempotent upsert or delete).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional

PENDING = "pending"
SENT = "sent"
DONE = "done"
FAILED = "failed"
HELD = "held"
STATES = (PENDING, SENT, DONE, FAILED, HELD)
OPEN_STATES = (PENDING, SENT, FAILED, HELD)
#: kinds whose unsent operations a new push plan replaces (appended ones, e.g. photo uploads, stay)
PLANNED_KINDS = ("node", "connection", "section")

BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kp_journal (
    op_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    parent_ids TEXT NOT NULL DEFAULT '[]',
    parent_id TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    body TEXT,
    content BLOB,
    content_type TEXT,
    content_sha256 TEXT,
    depends_on TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    result TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kp_journal_state_seq ON kp_journal(state, seq);
CREATE INDEX IF NOT EXISTS kp_journal_entity ON kp_journal(kind, entity_id, parent_id);
CREATE TABLE IF NOT EXISTS kp_base (
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    parent_id TEXT,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS kp_base_key ON kp_base (kind, ifnull(parent_id, ''), entity_id);
CREATE TABLE IF NOT EXISTS kp_conflict (
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    parent_id TEXT,
    base TEXT,
    local TEXT,
    remote TEXT,
    fields TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS kp_conflict_key
    ON kp_conflict (kind, ifnull(parent_id, ''), entity_id);
"""


_INSERT_OP = (
    "INSERT INTO kp_journal (op_id, seq, kind, entity_id, parent_ids, parent_id, method,"
    " path, params, body, content, content_type, content_sha256, depends_on, state,"
    " attempts, error, created, updated)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?)"
)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z"


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def entity_key(kind: str, entity_id: str, parent_ids: Iterable[str] = ()) -> tuple:
    """``(kind, parent_id | None, entity_id)``; only sections have a parent."""
    parents = list(parent_ids or [])
    return (kind, parents[-1] if kind == "section" and parents else None, entity_id)


class JournalError(FileNotFoundError):
    """The journal cannot be opened at that path; ``str()`` says why and what to do."""


@dataclass
class PlannedOp:
    """An operation the planner wants written (before it gets an op id).

    ``key`` is a planner-local name other planned ops can list in
    ``depends_on`` (defaults to ``kind:entity_id``); existing op ids may be
    listed too.
    """

    kind: str
    entity_id: str
    method: str
    path: str
    body: Optional[dict] = None
    params: dict = field(default_factory=dict)
    parent_ids: list = field(default_factory=list)
    depends_on: list = field(default_factory=list)
    content: Optional[bytes] = None
    content_type: Optional[str] = None
    key: Optional[str] = None
    held_reason: Optional[str] = None

    def planner_key(self) -> str:
        if self.key:
            return self.key
        parent = self.entity_key()[1]
        return (
            f"{self.kind}:{parent}/{self.entity_id}" if parent else f"{self.kind}:{self.entity_id}"
        )

    def entity_key(self) -> tuple:
        """``(kind, parent_id, entity_id)``: sections are only unique within their connection."""
        return entity_key(self.kind, self.entity_id, self.parent_ids)


@dataclass
class Operation:
    """One journal row."""

    op_id: str
    seq: int
    kind: str
    entity_id: str
    method: str
    path: str
    body: Optional[dict]
    params: dict
    parent_ids: list
    depends_on: list
    state: str
    attempts: int
    error: Optional[str]
    content_sha256: Optional[str]
    content_type: Optional[str] = None
    created: str = ""
    updated: str = ""

    def entity_key(self) -> tuple:
        """``(kind, parent_id, entity_id)``."""
        return entity_key(self.kind, self.entity_id, self.parent_ids)

    @property
    def cost(self) -> int:
        """Token cost of the call (writes and deletes cost 10 each)."""
        return 10


@dataclass
class PlanResult:
    """What ``Journal.plan`` did."""

    op_ids: list
    replaced: int
    kept_in_flight: int


def _insert_op(con: sqlite3.Connection, op_id: str, seq: int, op: PlannedOp, deps: list,
               now: str) -> None:
    """Insert one planned operation (pending, or held when it carries a reason)."""
    sha = hashlib.sha256(op.content).hexdigest() if op.content is not None else None
    con.execute(
        _INSERT_OP,
        (
            op_id, seq, op.kind, op.entity_id, _dumps(list(op.parent_ids)),
            op.entity_key()[1], op.method.upper(), op.path, _dumps(op.params or {}),
            None if op.body is None else _dumps(op.body), op.content, op.content_type, sha,
            _dumps(deps), HELD if op.held_reason else PENDING, op.held_reason, now, now,
        ),
    )


class Journal:
    """The journal and base tables of one job GeoPackage."""

    def __init__(self, path: str, *, create: bool = False) -> None:
        """Open the journal of an existing job GeoPackage.

        Refuses a path that does not exist (:class:`JournalError`) unless ``create``
        is True (a new, empty database is then made there: tests, tools).
        """
        self.path = str(path)
        if not create and not os.path.isfile(self.path):
            raise JournalError(
                f"{self.path} does not exist: the sync journal lives inside a job GeoPackage;"
                " download the job (or open its GeoPackage) first."
            )
        self._local = threading.local()
        have = {
            r[0]
            for r in self._con().execute(
                "SELECT name FROM sqlite_master WHERE name IN ('kp_journal', 'kp_base',"
                " 'kp_conflict',"
                " 'kp_base_key', 'kp_conflict_key', 'kp_journal_state_seq', 'kp_journal_entity')"
            )
        }
        if len(have) < 7:  # a read first: opening an existing journal never takes the write lock
            with self._tx() as con:
                for stmt in _SCHEMA.strip().split(";"):
                    if stmt.strip():
                        con.execute(stmt)

    # -- connections -------------------------------------------------
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True
            )
            con.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            # never "PRAGMA journal_mode=WAL" here: see the module docstring (QGIS's NOLOCK readers)
            con.row_factory = sqlite3.Row
            self._local.con = con
        return con

    def close(self) -> None:
        """Close this thread's connection (other threads close theirs on exit)."""
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    class _Tx:
        def __init__(self, con: sqlite3.Connection, durable: bool) -> None:
            self.con = con
            self.durable = durable

        def __enter__(self) -> sqlite3.Connection:
            # FULL: synced to disk at commit (survives power loss); NORMAL only in WAL mode
            # (the file's mode, set by QGIS): survives a process crash (QGIS killed), synced
            # at the next FULL commit or checkpoint. A rollback journal always gets FULL.
            relaxed = (
                not self.durable
                and str(self.con.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
            )
            self.con.execute("PRAGMA synchronous=NORMAL" if relaxed else "PRAGMA synchronous=FULL")
            for attempt in range(50):
                try:
                    self.con.execute("BEGIN IMMEDIATE")
                    return self.con
                except sqlite3.OperationalError as exc:  # locked beyond busy timeout
                    if "locked" not in str(exc) or attempt == 49:
                        raise
                    time.sleep(0.05)
            return self.con

        def __exit__(self, exc_type, exc, tb) -> None:
            if exc_type is None:
                self.con.execute("COMMIT")
            else:
                self.con.execute("ROLLBACK")

    def _tx(self, durable: bool = True) -> Journal._Tx:
        return Journal._Tx(self._con(), durable)

    # -- planning ----------------------------------------------------
    def plan(self, ops: Iterable[PlannedOp]) -> PlanResult:
        """Write a fresh plan in ONE transaction.

        Every not-yet-sent node/connection/section operation (pending, held,
        failed) is replaced: the
        planner diffs the working copy against base, and base only moves when
        the server acknowledges, so a new plan already contains everything an
        older unsent one wanted.  Operations in state ``sent`` may have reached
        the server; they stay, and new operations for the same entity are
        planned after them and depend on them.
        """
        ops = list(ops)
        now = _now()
        with self._tx() as con:
            cur = con.execute(
                "DELETE FROM kp_journal WHERE state IN (?,?,?) AND kind IN (?,?,?)",
                (PENDING, HELD, FAILED) + PLANNED_KINDS,
            )
            replaced = cur.rowcount
            in_flight = {}
            for row in con.execute(
                "SELECT op_id, kind, entity_id, parent_id FROM kp_journal WHERE state=?"
                " ORDER BY seq",
                (SENT,),
            ):
                in_flight.setdefault((row["kind"], row["parent_id"], row["entity_id"]), []).append(
                    row["op_id"]
                )
            seq = con.execute("SELECT COALESCE(MAX(seq), 0) FROM kp_journal").fetchone()[0]
            key_to_id: dict[str, str] = {}
            ids = []
            for op in ops:
                op_id = uuid.uuid4().hex
                key_to_id[op.planner_key()] = op_id
                seq += 1
                deps = [key_to_id.get(d, d) for d in op.depends_on]
                deps += in_flight.get(op.entity_key(), [])
                _insert_op(con, op_id, seq, op, deps, now)
                ids.append(op_id)
        return PlanResult(ids, replaced, sum(len(v) for v in in_flight.values()))

    def append(self, ops: Iterable[PlannedOp]) -> list:
        """Add operations without replacing anything (e.g. photo uploads)."""
        ops = list(ops)
        now = _now()
        ids = []
        with self._tx() as con:
            seq = con.execute("SELECT COALESCE(MAX(seq), 0) FROM kp_journal").fetchone()[0]
            key_to_id: dict[str, str] = {}
            for op in ops:
                op_id = uuid.uuid4().hex
                key_to_id[op.planner_key()] = op_id
                seq += 1
                deps = [key_to_id.get(d, d) for d in op.depends_on]
                _insert_op(con, op_id, seq, op, deps, now)
                ids.append(op_id)
        return ids

    # -- reading -----------------------------------------------------
    @staticmethod
    def _op(row: sqlite3.Row) -> Operation:
        return Operation(
            op_id=row["op_id"],
            seq=row["seq"],
            kind=row["kind"],
            entity_id=row["entity_id"],
            method=row["method"],
            path=row["path"],
            body=None if row["body"] is None else json.loads(row["body"]),
            params=json.loads(row["params"] or "{}"),
            parent_ids=json.loads(row["parent_ids"] or "[]"),
            depends_on=json.loads(row["depends_on"] or "[]"),
            state=row["state"],
            attempts=row["attempts"],
            error=row["error"],
            content_sha256=row["content_sha256"],
            content_type=row["content_type"],
            created=row["created"],
            updated=row["updated"],
        )

    _COLS = (
        "op_id, seq, kind, entity_id, method, path, body, params, parent_ids, depends_on, state,"
        " attempts, error, content_sha256, content_type, created, updated"
    )

    def get(self, op_id: str) -> Optional[Operation]:
        row = (
            self._con()
            .execute(f"SELECT {self._COLS} FROM kp_journal WHERE op_id=?", (op_id,))
            .fetchone()
        )
        return None if row is None else self._op(row)

    def content(self, op_id: str) -> Optional[bytes]:
        """The binary payload of an upload operation."""
        row = (
            self._con().execute("SELECT content FROM kp_journal WHERE op_id=?", (op_id,)).fetchone()
        )
        return None if row is None or row[0] is None else bytes(row[0])

    def result(self, op_id: str) -> Any:
        """What was stored as the op's result when it was marked done (parsed JSON), or None."""
        con = self._con()
        row = con.execute("SELECT result FROM kp_journal WHERE op_id=?", (op_id,)).fetchone()
        if row is None or not row[0]:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def operations(self, states: Optional[Iterable[str]] = None) -> list:
        """Operations in journal order, optionally only those in ``states``."""
        if states is None:
            rows = (
                self._con().execute(f"SELECT {self._COLS} FROM kp_journal ORDER BY seq").fetchall()
            )
        else:
            states = list(states)
            marks = ",".join("?" * len(states))
            rows = (
                self._con()
                .execute(
                    f"SELECT {self._COLS} FROM kp_journal WHERE state IN ({marks}) ORDER BY seq",
                    states,
                )
                .fetchall()
            )
        return [self._op(r) for r in rows]

    def next_runnable(self, kinds: Optional[Iterable[str]] = PLANNED_KINDS) -> Optional[Operation]:
        """First sent-or-pending operation of ``kinds`` in order (sent first: they resume)."""
        sql = f"SELECT {self._COLS} FROM kp_journal WHERE state IN (?,?)"
        args: list = [SENT, PENDING]
        if kinds is not None:
            kinds = list(kinds)
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += kinds
        row = (
            self._con().execute(sql + " ORDER BY (state<>?), seq LIMIT 1", args + [SENT]).fetchone()
        )
        return None if row is None else self._op(row)

    def iter_runnable(self, kinds: Optional[Iterable[str]] = PLANNED_KINDS) -> Iterator[Operation]:
        """Yield runnable operations one at a time, re-reading the table each time."""
        while True:
            op = self.next_runnable(kinds)
            if op is None:
                return
            yield op

    def counts(self, kinds: Optional[Iterable[str]] = None) -> dict:
        """``{state: count}`` for every state (zeros included), optionally of ``kinds`` only."""
        out = {s: 0 for s in STATES}
        sql, args = "SELECT state, COUNT(*) FROM kp_journal", []
        if kinds is not None:
            kinds = list(kinds)
            sql += f" WHERE kind IN ({','.join('?' * len(kinds))})"
            args = kinds
        for state, n in self._con().execute(sql + " GROUP BY state", args):
            out[state] = n
        return out

    def states_of(self, ids: Iterable[str]) -> dict:
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return dict(
            self._con().execute(
                f"SELECT op_id, state FROM kp_journal WHERE op_id IN ({marks})", ids
            )
        )

    def entity_states(self) -> dict:
        """``{(kind, parent_id, entity_id): "pending" | "failed: msg" | "held: msg"}``.

        One entry per entity with open operations (what ``kp_sync`` shows).
        """
        out: dict = {}
        for row in self._con().execute(
            "SELECT kind, parent_id, entity_id, state, error FROM kp_journal WHERE state<>?"
            " ORDER BY seq",
            (DONE,),
        ):
            key = (row["kind"], row["parent_id"], row["entity_id"])
            if row["state"] == FAILED:
                out[key] = f"failed: {row['error'] or ''}"
            elif row["state"] == HELD:
                out.setdefault(key, f"held: {row['error'] or ''}")
            else:
                out.setdefault(key, "pending")
        return out

    def pending_cost(self) -> int:
        """Token cost of everything still to send."""
        row = (
            self._con()
            .execute("SELECT COUNT(*) FROM kp_journal WHERE state IN (?,?)", (PENDING, SENT))
            .fetchone()
        )
        return int(row[0]) * 10

    # -- state changes -----------------------------------------------
    def mark_sent(self, op_id: str) -> None:
        """Record that a call is about to go out (attempts + 1)."""
        with self._tx() as con:
            con.execute(
                "UPDATE kp_journal SET state=?, attempts=attempts+1, updated=? WHERE op_id=?",
                (SENT, _now(), op_id),
            )

    def note_error(self, op_id: str, message: str) -> None:
        """Keep the last transient error on a still-open op (it will be retried)."""
        with self._tx(durable=False) as con:
            con.execute(
                "UPDATE kp_journal SET error=?, updated=? WHERE op_id=?", (message, _now(), op_id)
            )

    def mark_done(
        self,
        op_id: str,
        base_updates: Iterable[tuple] = (),
        base_deletes: Iterable[tuple] = (),
        result: Any = None,
        drop_content: bool = False,
    ) -> None:
        """Mark done AND apply the server's returned state to base, atomically.

        ``base_updates``: ``(kind, entity_id, parent_id, data_dict)``;
        ``base_deletes``: ``(kind, entity_id, parent_id)``; deleting a
        connection also deletes its sections' base rows. ``drop_content``
        frees the op's binary payload in the same transaction (its hash stays).
        """
        # Not forced to disk: losing a "done" (power cut) only resends an idempotent write;
        # the "sent" before it was synced (mark_sent), so a re-plan can never duplicate it.
        with self._tx(durable=False) as con:
            for kind, entity_id, parent_id in base_deletes:
                _delete_base(con, kind, entity_id, parent_id)
            for kind, entity_id, parent_id, data in base_updates:
                _put_base(con, kind, entity_id, parent_id, data)
            con.execute(
                "UPDATE kp_journal SET state=?, error=NULL, result=?, updated=? WHERE op_id=?",
                (DONE, None if result is None else _dumps(result), _now(), op_id),
            )
            if drop_content:
                con.execute("UPDATE kp_journal SET content=NULL WHERE op_id=?", (op_id,))

    def drop_content(self, op_ids: Iterable[str]) -> int:
        """Free the binary payload of DONE ops (``content_sha256`` stays); returns how many."""
        ids = list(op_ids)
        if not ids:
            return 0
        marks = ",".join("?" * len(ids))
        with self._tx(durable=False) as con:
            cur = con.execute(
                f"UPDATE kp_journal SET content=NULL WHERE state=? AND content IS NOT NULL"
                f" AND op_id IN ({marks})",
                [DONE] + ids,
            )
            return cur.rowcount

    def retarget(
        self,
        op_id: str,
        *,
        entity_id: str,
        path: str,
        params: Optional[dict] = None,
        body: Optional[dict] = None,
        parent_ids: Iterable[str] = (),
    ) -> bool:
        """Point a PENDING op at another entity (e.g. an unsent upload at another item).

        Only an op that never went out can change target: returns False (and
        changes nothing) when the op is not pending any more.
        """
        parents = list(parent_ids or [])
        with self._tx() as con:
            kind = con.execute("SELECT kind FROM kp_journal WHERE op_id=?", (op_id,)).fetchone()
            if kind is None:
                return False
            cur = con.execute(
                "UPDATE kp_journal SET entity_id=?, path=?, params=?, body=?, parent_ids=?,"
                " parent_id=?, error=NULL, updated=? WHERE op_id=? AND state=?",
                (
                    entity_id,
                    path,
                    _dumps(params or {}),
                    None if body is None else _dumps(body),
                    _dumps(parents),
                    entity_key(kind[0], entity_id, parents)[1],
                    _now(),
                    op_id,
                    PENDING,
                ),
            )
            return cur.rowcount == 1

    def mark_failed(self, op_id: str, message: str) -> list:
        """Fail an op and hold every open op that depends on it (transitively). Returns held ids."""
        with self._tx() as con:
            con.execute(
                "UPDATE kp_journal SET state=?, error=?, updated=? WHERE op_id=?",
                (FAILED, message, _now(), op_id),
            )
            return self._hold_dependents(con, op_id, message)

    def _hold_dependents(self, con: sqlite3.Connection, op_id: str, message: str) -> list:
        rows = con.execute(
            "SELECT op_id, depends_on FROM kp_journal WHERE state IN (?,?)", (PENDING, HELD)
        ).fetchall()
        deps = {r["op_id"]: set(json.loads(r["depends_on"] or "[]")) for r in rows}
        blocked = {op_id}
        held: list = []
        changed = True
        while changed:
            changed = False
            for oid, d in deps.items():
                if oid not in blocked and d & blocked:
                    blocked.add(oid)
                    held.append(oid)
                    changed = True
        why = f"waiting for a failed operation: {message}"
        for oid in held:
            con.execute(
                "UPDATE kp_journal SET state=?, error=?, updated=? WHERE op_id=? AND state=?",
                (HELD, why, _now(), oid, PENDING),
            )
        return held

    def mark_pending(self, op_id: str) -> None:
        """Put an op back in the queue (e.g. paused after an auth error)."""
        with self._tx() as con:
            con.execute(
                "UPDATE kp_journal SET state=?, updated=? WHERE op_id=?", (PENDING, _now(), op_id)
            )

    def blocking_dependency(self, op: Operation) -> Optional[Operation]:
        """A failed/held op this one depends on, if any."""
        if not op.depends_on:
            return None
        for dep_id in op.depends_on:
            dep = self.get(dep_id)
            if dep is not None and dep.state in (FAILED, HELD):
                return dep
        return None

    def hold(self, op_id: str, message: str) -> None:
        with self._tx() as con:
            con.execute(
                "UPDATE kp_journal SET state=?, error=?, updated=? WHERE op_id=?",
                (HELD, message, _now(), op_id),
            )
            self._hold_dependents(con, op_id, message)

    def retry_failed(self) -> int:
        """Failed and dependency-held ops go back to pending (conflict holds stay); count."""
        with self._tx() as con:
            cur = con.execute(
                "UPDATE kp_journal SET state=?, updated=? WHERE state=?"
                " OR (state=? AND error LIKE 'waiting for%')",
                (PENDING, _now(), FAILED, HELD),
            )
            return cur.rowcount

    def hold_entity(self, kind: str, entity_id: str, parent_id: Optional[str], reason: str) -> int:
        """Hold the unsent operations of one entity (a conflict waits for the user)."""
        with self._tx() as con:
            cur = con.execute(
                "UPDATE kp_journal SET state=?, error=?, updated=? WHERE state IN (?,?) AND kind=?"
                " AND entity_id=? AND ifnull(parent_id, '')=ifnull(?, '')",
                (HELD, reason, _now(), PENDING, FAILED, kind, entity_id, parent_id),
            )
            return cur.rowcount

    def release_entity(self, kind: str, entity_id: str, parent_id: Optional[str] = None) -> int:
        """Held ops of one entity (conflict resolved) go back to pending."""
        with self._tx() as con:
            cur = con.execute(
                "UPDATE kp_journal SET state=?, error=NULL, updated=? WHERE state=? AND kind=?"
                " AND entity_id=? AND ifnull(parent_id, '')=ifnull(?, '')",
                (PENDING, _now(), HELD, kind, entity_id, parent_id),
            )
            return cur.rowcount

    def purge_done(self, keep_last: int = 0) -> int:
        """Delete done rows (history); keep the last ``keep_last`` of them."""
        with self._tx() as con:
            cur = con.execute(
                "DELETE FROM kp_journal WHERE state=? AND op_id NOT IN"
                " (SELECT op_id FROM kp_journal WHERE state=?"
                " ORDER BY seq DESC LIMIT ?)",
                (DONE, DONE, keep_last),
            )
            return cur.rowcount

    # -- base --------------------------------------------------------
    def base(self, kind: str, entity_id: str, parent_id: Optional[str] = None) -> Optional[dict]:
        """Base (last acknowledged server state) of one entity, or None."""
        row = (
            self._con()
            .execute(
                "SELECT data FROM kp_base WHERE kind=? AND entity_id=?"
                " AND ifnull(parent_id, '')=ifnull(?, '')",
                (kind, entity_id, parent_id),
            )
            .fetchone()
        )
        return None if row is None else json.loads(row[0])

    def base_keys(self, kind: str) -> set:
        """Snapshot keys of one kind without parsing JSON (sections: ``(connection_id, id)``)."""
        rows = (
            self._con()
            .execute("SELECT entity_id, parent_id FROM kp_base WHERE kind=?", (kind,))
            .fetchall()
        )
        return {(parent, eid) if kind == "section" else eid for eid, parent in rows}

    def base_all(self, kind: str) -> dict:
        """``{entity_id: data}``; sections keyed ``(connection_id, id)``."""
        out = {}
        for eid, parent, data in self._con().execute(
            "SELECT entity_id, parent_id, data FROM kp_base WHERE kind=?", (kind,)
        ):
            out[(parent, eid) if kind == "section" else eid] = json.loads(data)
        return out

    def set_base(self, rows: Iterable[tuple], replace_all: bool = False) -> None:
        """Write base rows ``(kind, entity_id, parent_id, data)`` in one transaction."""
        with self._tx() as con:
            if replace_all:
                con.execute("DELETE FROM kp_base")
            for kind, entity_id, parent_id, data in rows:
                _put_base(con, kind, entity_id, parent_id, data)

    def delete_base(self, keys: Iterable[tuple]) -> None:
        """Delete base rows ``(kind, entity_id, parent_id)``."""
        with self._tx() as con:
            for kind, entity_id, parent_id in keys:
                _delete_base(con, kind, entity_id, parent_id)

    # -- conflicts ---------------------------------------------------
    def set_conflicts(self, conflicts: Iterable[dict]) -> None:
        """Store conflicts (dicts with kind, entity_id, parent_id, base, local, remote, fields)."""
        with self._tx() as con:
            for c in conflicts:
                con.execute(
                    "INSERT OR REPLACE INTO kp_conflict (kind, entity_id, parent_id, base, local,"
                    " remote, fields,"
                    " created) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        c["kind"],
                        c["entity_id"],
                        c.get("parent_id"),
                        _dumps(c.get("base")),
                        _dumps(c.get("local")),
                        _dumps(c.get("remote")),
                        _dumps(c.get("fields") or []),
                        _now(),
                    ),
                )

    def conflicts(self) -> list:
        """Open conflicts (dicts as stored by :meth:`set_conflicts`)."""
        out = []
        for r in self._con().execute("SELECT * FROM kp_conflict ORDER BY created, kind, entity_id"):
            out.append(
                {
                    "kind": r["kind"],
                    "entity_id": r["entity_id"],
                    "parent_id": r["parent_id"],
                    "base": json.loads(r["base"]),
                    "local": json.loads(r["local"]),
                    "remote": json.loads(r["remote"]),
                    "fields": json.loads(r["fields"]),
                }
            )
        return out

    def conflict_keys(self) -> set:
        """``{(kind, parent_id, entity_id)}`` of open conflicts."""
        return {
            (r[0], r[1], r[2])
            for r in self._con().execute("SELECT kind, parent_id, entity_id FROM kp_conflict")
        }

    def resolve_conflict(
        self,
        kind: str,
        entity_id: str,
        new_base: Optional[dict] = None,
        parent_id: Optional[str] = None,
        base_deleted: bool = False,
    ) -> None:
        """Drop a conflict; base := the remote state the user has seen; release held ops."""
        with self._tx() as con:
            con.execute(
                "DELETE FROM kp_conflict WHERE kind=? AND entity_id=? AND ifnull(parent_id, '')="
                "ifnull(?, '')",
                (kind, entity_id, parent_id),
            )
            if base_deleted:
                _delete_base(con, kind, entity_id, parent_id)
            elif new_base is not None:
                _put_base(con, kind, entity_id, parent_id, new_base)
            con.execute(
                "UPDATE kp_journal SET state=?, error=NULL, updated=? WHERE state=? AND kind=?"
                " AND entity_id=? AND ifnull(parent_id, '')=ifnull(?, '')",
                (PENDING, _now(), HELD, kind, entity_id, parent_id),
            )


def _put_base(
    con: sqlite3.Connection, kind: str, entity_id: str, parent_id: Optional[str], data: Any
) -> None:
    con.execute(
        "DELETE FROM kp_base WHERE kind=? AND entity_id=? AND ifnull(parent_id, '')=ifnull(?, '')",
        (kind, entity_id, parent_id),
    )
    con.execute(
        "INSERT INTO kp_base (kind, entity_id, parent_id, data) VALUES (?,?,?,?)",
        (kind, entity_id, parent_id, data if isinstance(data, str) else _dumps(data)),
    )


def _delete_base(
    con: sqlite3.Connection, kind: str, entity_id: str, parent_id: Optional[str]
) -> None:
    con.execute(
        "DELETE FROM kp_base WHERE kind=? AND entity_id=? AND ifnull(parent_id, '')=ifnull(?, '')",
        (kind, entity_id, parent_id),
    )
    if kind == "connection":
        con.execute("DELETE FROM kp_base WHERE kind='section' AND parent_id=?", (entity_id,))
