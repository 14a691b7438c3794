"""Real QGIS event loop while the worker drains 1,000 operations: the GUI keeps ticking.

Measures the longest gap between the ticks of a 10 ms QTimer on the main thread
(the figure is printed here and by ``make bench``: tests/bench/bench_sync.py).
No wall-clock assertion: the test checks that everything drained correctly
while the main thread was measured.
"""

from __future__ import annotations

from tests.bench.bench_sync import measure_stall


def test_main_thread_keeps_ticking_while_1000_operations_drain(qgis_app, capsys):
    result = measure_stall(1000, with_dock=True)
    assert result["status"] == "drained"
    assert result["done"] == 1000
    assert result["ticks"] > 0 and result["max_gap_ms"] is not None
    with capsys.disabled():
        print(
            f"\nmain-thread max gap while 1000 ops drained: {result['max_gap_ms']} ms "
            f"(idle baseline {result['baseline_max_gap_ms']} ms)"
        )
