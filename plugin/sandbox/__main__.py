"""``python3 -m plugin.sandbox``: run the sandbox until SIGINT/SIGTERM.

Prints exactly one stdout line ``SANDBOX READY <base_url> job=<job_id>`` once it
accepts requests; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import SandboxServer


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python3 -m plugin.sandbox", description="Local Katapult Pro v3 sandbox on 127.0.0.1"
    )
    p.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    p.add_argument("--api-key", default="demo-key", help="the API key clients must send")
    p.add_argument(
        "--sample-nodes", type=int, default=200, help="nodes in the sample job (0 = none, 10-50000)"
    )
    p.add_argument(
        "--seed", type=int, default=1, help="seed of the sample data and of the fault RNG"
    )
    p.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="divides the 60 s refill period and 50 ms interval",
    )
    p.add_argument("--bucket-size", type=int, default=10000, help="tokens granted at each refill")
    p.add_argument(
        "--general-interval-ms",
        type=float,
        default=50.0,
        help="general limit spacing (before scaling)",
    )
    p.add_argument(
        "--refill-period-s", type=float, default=60.0, help="bucket refill period (before scaling)"
    )
    p.add_argument(
        "--cost",
        action="append",
        default=[],
        metavar="OPERATION=TOKENS",
        help="override a token cost, e.g. listNodes=2 or model_path=500 (repeatable)",
    )
    p.add_argument(
        "--extra-key",
        action="append",
        default=[],
        metavar="KEY=ROLE",
        help='another API key: ROLE is member, "INVALID USER" or "PERMISSION DENIED" (repeatable)',
    )
    p.add_argument("--state", metavar="FILE", help="JSON file that keeps the data across restarts")
    p.add_argument(
        "--admin-token", help="token for /__admin routes (header X-Admin-Token); random if omitted"
    )
    p.add_argument("--latency-ms", type=float, help="fault: added latency per API call")
    p.add_argument("--error-rate", type=float, help="fault: fraction of API calls answered 500")
    p.add_argument(
        "--drop-after-write-rate",
        type=float,
        help="fault: fraction of writes applied and then the connection dropped",
    )
    p.add_argument("--storm-429", type=int, help="fault: the next N API calls get 429 (general)")
    p.add_argument(
        "--rate-429", type=float, help="fault: fraction of API calls answered 429 (general)"
    )
    p.add_argument(
        "--shrink-bucket-to", type=int, help="fault: refills grant at most this many tokens"
    )
    p.add_argument(
        "--malformed-json-rate", type=float, help="fault: fraction of JSON responses cut short"
    )
    p.add_argument(
        "--fault-path", dest="path_filter", help="fault: only paths containing this text"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    faults = {
        k: getattr(args, k)
        for k in (
            "latency_ms",
            "error_rate",
            "drop_after_write_rate",
            "storm_429",
            "rate_429",
            "shrink_bucket_to",
            "malformed_json_rate",
            "path_filter",
        )
        if getattr(args, k) is not None
    }
    try:
        costs = {}
        for item in args.cost:
            op, sep, tokens = item.partition("=")
            if not sep or not tokens.strip().isdigit():
                raise ValueError(f"--cost needs OPERATION=TOKENS, got {item!r}")
            costs[op.strip()] = int(tokens)
        extra = {}
        for item in args.extra_key:
            k, sep, role = item.partition("=")
            if not sep:
                raise ValueError(f"--extra-key needs KEY=ROLE, got {item!r}")
            extra[k] = role
        server = SandboxServer(
            api_key=args.api_key,
            port=args.port,
            sample_nodes=args.sample_nodes,
            seed=args.seed,
            time_scale=args.time_scale,
            bucket_size=args.bucket_size,
            general_interval_ms=args.general_interval_ms,
            refill_period_s=args.refill_period_s,
            costs=costs,
            extra_keys=extra,
            state_file=args.state,
            admin_token=args.admin_token,
            faults=faults,
            verbose=args.verbose,
        )
        server.start()
    except (ValueError, OSError) as exc:
        print(f"sandbox: cannot start: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if not args.admin_token:
        print(f"sandbox: admin token {server.admin_token} (header X-Admin-Token)", file=sys.stderr)
    print("SANDBOX READY {} job={}".format(server.base_url, server.job_id or ""), flush=True)
    while not stop.wait(0.5):
        pass
    server.stop()
    print("sandbox: stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
