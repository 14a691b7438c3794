"""A local Katapult Pro v3 sandbox server (stdlib only) with sample data and faults.

``from plugin.sandbox import SandboxServer``; ``python3 -m plugin.sandbox --help``.
"""

from __future__ import annotations

from .jpeg import make_jpeg
from .server import SandboxServer

__all__ = ["SandboxServer", "make_jpeg"]
