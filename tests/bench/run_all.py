"""Run every ``tests/bench/bench_*.py`` module's ``main()`` (``make bench``)."""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = "tests.bench." + path.stem
        print(f"== {path.stem}", flush=True)
        try:
            importlib.import_module(name).main()
        except Exception:  # one broken bench must not hide the others
            failed += 1
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
