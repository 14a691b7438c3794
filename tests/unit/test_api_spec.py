"""The client covers every non-restricted operation of Katapult's openapi.yaml, with the
spec's token costs. The plugin itself never reads the spec; this test keeps them in step."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from plugin.api import costs
from plugin.api.client import KatapultClient

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "katapult-api" / "openapi.yaml"
VERBS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def operations():
    if not SPEC.exists():
        pytest.skip(f"Katapult's API contract is not at {SPEC} (the shared folder beside the "
                    "repository); cannot check coverage")
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read openapi.yaml")
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    ops = {}
    for path, item in spec["paths"].items():
        for verb in VERBS:
            if verb in item:
                op = item[verb]
                ops[op["operationId"]] = {"verb": verb.upper(), "path": path,
                                          "cost": op.get("x-token-cost"),
                                          "restricted": bool(op.get("x-restricted"))}
    assert len(ops) > 40, "the spec looks incomplete"
    return ops


def test_every_operation_is_in_the_table(operations):
    assert set(operations) == set(costs.BY_OPERATION), (
        "operation table and openapi.yaml differ: missing "
        f"{sorted(set(operations) - set(costs.BY_OPERATION))}, extra "
        f"{sorted(set(costs.BY_OPERATION) - set(operations))}")


def test_every_non_restricted_operation_has_a_client_method(operations):
    missing = []
    for op_id, op in operations.items():
        if op["restricted"]:
            continue
        spec = costs.BY_OPERATION.get(op_id)
        method = getattr(KatapultClient, spec.name, None) if spec and spec.name else None
        if not callable(method):
            missing.append(op_id)
            continue
        params = inspect.signature(method).parameters
        assert params["lane"].kind is inspect.Parameter.KEYWORD_ONLY, op_id
        assert params["cancel"].kind is inspect.Parameter.KEYWORD_ONLY, op_id
    assert not missing, f"operations without a client method: {missing}"


def test_restricted_operations_have_no_method(operations):
    restricted = {k for k, v in operations.items() if v["restricted"]}
    assert restricted == set(costs.RESTRICTED)
    assert {"writeRawJobData", "getUserActiveState", "setUserActiveState"} <= restricted
    for op_id in restricted:
        assert costs.BY_OPERATION[op_id].name is None
    for name in ("write_raw_job_data", "get_user_active_state", "set_user_active_state"):
        assert not hasattr(KatapultClient, name)


def test_verbs_paths_and_costs_match(operations):
    for op_id, op in operations.items():
        spec = costs.BY_OPERATION[op_id]
        assert (spec.verb, spec.path) == (op["verb"], op["path"]), op_id
        cost = op["cost"]
        if isinstance(cost, int):
            assert spec.cost == cost, f"{op_id}: table {spec.cost}, spec {cost}"
        else:  # getModel: "9900 (full) | 1000 per path (max 10)"
            numbers = [int(n) for n in re.findall(r"\d+", str(cost))]
            assert op_id == "getModel", f"unexpected non-integer cost for {op_id}: {cost}"
            assert numbers == [costs.MODEL_FULL_COST, costs.MODEL_PATH_COST,
                               costs.MODEL_MAX_PATHS]


def test_match_and_cost_of_concrete_requests():
    assert costs.match("GET", "/users/whoami").operation_id == "whoAmI"
    assert costs.match("GET", "/users/abc").operation_id == "getUser"
    assert costs.match("POST", "/jobs/J/nodes/N").operation_id == "updateNode"
    assert costs.match("POST", "/jobs/J/nodes").operation_id == "createNode"
    assert costs.cost_of("GET", "/") == 0
    assert costs.cost_of("GET", "/models") == 100
    assert costs.cost_of("GET", "/models/k", {"paths": "a,b,c"}) == 3000
    assert costs.cost_of("GET", "/models/k") == costs.MODEL_FULL_COST
    assert costs.cost_of("DELETE", "/jobs/J/traces/T") == 10
    assert costs.cost_of("PUT", "/not/in/spec") == 10
    assert costs.is_idempotent("POST", "/jobs/J/nodes/N")          # upsert at a client id
    assert not costs.is_idempotent("POST", "/jobs/J/nodes")        # plain create
    assert not costs.is_idempotent("POST", "/jobs/J/photos")       # upload
    assert costs.is_idempotent("DELETE", "/jobs/J/nodes/N")


def test_runtime_code_never_reads_the_spec():
    """The shipped client carries its table in Python; it never opens the spec."""
    api_dir = Path(costs.__file__).parent
    for source in api_dir.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import yaml" not in text and "katapult-api" not in text, source
        assert "x-token-cost" not in text or source.name == "costs.py", source


def test_every_client_method_is_exercised_over_http():
    """Each named method appears as a call in the sandbox HTTP tests."""
    here = Path(__file__).resolve().parent
    text = "".join(p.read_text(encoding="utf-8") for p in here.glob("test_client_http*.py"))
    untested = [spec.name for spec in costs.METHODS
                if spec.name and f".{spec.name}(" not in text]
    assert not untested, f"client methods without an HTTP test: {untested}"
