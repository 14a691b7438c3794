"""Association changes on the server: set main, associate, unassociate, move (pure).

Each call is ``POST /jobs/{job}/photos/{photo}/associate`` (idempotent, 10
tokens). After the server accepts, the snapshot in the GeoPackage
(:class:`PhotoStore`) is updated so the dock shows the new state at once.
``set_main`` re-reads the item afterwards and demotes any other ``main`` the
server left, so an item ends with exactly one main photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .index import association_of
from .store import PhotoStore


@dataclass(frozen=True)
class ItemRef:
    """A node or a section (with its connection)."""

    kind: str  # node | section
    item_id: str
    connection_id: str | None = None

    def ids(self) -> dict:
        """Keyword arguments naming this item for ``KatapultClient.associate_photo``."""
        if self.kind == "node":
            return {"node_id": self.item_id}
        return {"connection_id": self.connection_id, "section_id": self.item_id}


class PhotoActions:
    """Association actions for one job; ``client`` is a ``KatapultClient``."""

    def __init__(
        self, client, job_id: str, store: PhotoStore | None = None, *, lane: str = "interactive"
    ) -> None:
        self.client = client
        self.job_id = job_id
        self.store = store
        self.lane = lane

    def _associate(self, photo_id: str, item: ItemRef, value: Any, cancel=None) -> None:
        self.client.associate_photo(
            self.job_id, photo_id, value, **item.ids(), lane=self.lane, cancel=cancel
        )
        if self.store is not None:
            self.store.apply(photo_id, item.kind, item.item_id, value, item.connection_id)

    def fetch_item(self, item: ItemRef, cancel=None) -> dict:
        """The item as the server has it now (1 token)."""
        if item.kind == "node":
            return (
                self.client.get_node(self.job_id, item.item_id, lane=self.lane, cancel=cancel) or {}
            )
        return (
            self.client.get_section(
                self.job_id, item.connection_id, item.item_id, lane=self.lane, cancel=cancel
            )
            or {}
        )

    def associate(self, photo_id: str, item: ItemRef, main: bool = False, cancel=None) -> None:
        """Attach an existing job photo to ``item`` (as main when ``main``)."""
        if main:
            self.set_main(photo_id, item, cancel)
        else:
            self._associate(photo_id, item, True, cancel)

    def unassociate(self, photo_id: str, item: ItemRef, cancel=None) -> None:
        """Detach the photo from the item (``association_value: null``); it stays in the job."""
        self._associate(photo_id, item, None, cancel)

    def set_main(self, photo_id: str, item: ItemRef, cancel=None) -> list[str]:
        """Make ``photo_id`` the item's main photo; return the ids demoted to ``true``.

        The item is read back; any other photo still marked main is demoted,
        so exactly one main remains whatever the server did on its own.
        """
        self._associate(photo_id, item, "main", cancel)
        server_item = self.fetch_item(item, cancel)
        demoted = []
        for pid, assoc in (server_item.get("photos") or {}).items():
            if pid != photo_id and association_of(assoc) == "main":
                self._associate(pid, item, True, cancel)
                demoted.append(pid)
        if self.store is not None:
            if demoted:
                server_item = self.fetch_item(item, cancel)
            self.store.replace_photos_map(item.kind, item.item_id, server_item, item.connection_id)
        return demoted

    def move(self, photo_id: str, source: ItemRef, target: ItemRef, cancel=None) -> None:
        """Move a photo: attach to ``target`` (keeping main-ness), then detach from ``source``.

        Attaching first means an interruption leaves the photo on both items,
        never on none.
        """
        was_main = False
        if self.store is not None:
            current = (
                self.store.item(source.kind, source.item_id, source.connection_id) or {}
            ).get("photos") or {}
            was_main = association_of(current.get(photo_id)) == "main"
        if was_main:
            self.set_main(photo_id, target, cancel)
        else:
            self._associate(photo_id, target, True, cancel)
        if source != target:
            self._associate(photo_id, source, None, cancel)
