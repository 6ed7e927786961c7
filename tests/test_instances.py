"""The instance library: every family in instances/index.json has its README, every stored pool is
what its generate arguments give (byte for byte), and the tight and exchange families' answers hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from consortium_solver import load_call
from consortium_solver.builder import BuildOptions, Demands, build
from consortium_solver.domain import Status
from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.io import pool_to_json, read_pool
from consortium_solver.io.exchanges import exchange_pool_to_json, read_exchange_pool
from consortium_solver.rules.scheme import load_scheme
from consortium_solver.synthetic.exchanges import generate_exchange_pool
from consortium_solver.synthetic.pools import generate_pool
from consortium_solver.validate.exchanges import check_plan

ROOT = Path(__file__).resolve().parent.parent / "instances"
INDEX = json.loads((ROOT / "index.json").read_text(encoding="utf-8"))
STORED = [
    (family["name"], inst)
    for family in INDEX["families"]
    for inst in family.get("instances", [])
    if "file" in inst
]


def _generate(params: dict[str, Any]) -> str:
    kwargs = dict(params)
    n, seed = kwargs.pop("n"), kwargs.pop("seed")
    if kwargs.pop("kind", "consortium") == "exchange":
        pool = generate_exchange_pool(n, seed, **kwargs)
        return exchange_pool_to_json(pool)
    for key in ("countries", "sectors"):
        if key in kwargs:
            kwargs[key] = tuple(kwargs[key])
    return pool_to_json(generate_pool(n, seed, **kwargs))


def test_every_family_is_documented() -> None:
    names = [f["name"] for f in INDEX["families"]]
    assert {"demo", "event", "scaling", "tight", "mdgplib", "exchange"} <= set(names)
    for family in INDEX["families"]:
        readme = ROOT / family["readme"]
        assert readme.is_file() and readme.stat().st_size > 200, readme
    mdgp = next(f for f in INDEX["families"] if f["name"] == "mdgplib")
    assert (ROOT / mdgp["index"]).is_file() and any((ROOT / mdgp["folder"]).iterdir())


@pytest.mark.parametrize(("family", "inst"), STORED, ids=[i["name"] for _, i in STORED])
def test_stored_pools_are_their_generation(family: str, inst: dict[str, Any]) -> None:
    path = ROOT / inst["file"]
    assert path.read_text(encoding="utf-8") == _generate(inst["generate"]), family
    if inst["task"] == "exchange":
        assert len(read_exchange_pool(path).participants) == inst["generate"]["n"]
    else:
        assert len(read_pool(path)) == inst["generate"]["n"]


TIGHT = [i for f in INDEX["families"] if f["name"] == "tight" for i in f["instances"]]


@pytest.mark.parametrize("inst", TIGHT, ids=[i["name"] for i in TIGHT])
def test_tight_answers(inst: dict[str, Any]) -> None:
    pool = read_pool(ROOT / inst["file"])
    call = load_call("COS-CLUSTER-2018-03-02")
    result = build(pool, call, Demands(), BuildOptions(time_limit=60, workers=1, seed=1))
    if inst.get("expect") == "infeasible":
        assert result.status is Status.INFEASIBLE and result.conflict
    else:
        assert result.status is Status.OPTIMAL
        assert result.objective == pytest.approx(inst["best_known"])


EXCHANGE = [
    i for f in INDEX["families"] if f["name"] == "exchange" for i in f["instances"] if i["proven"]
]


@pytest.mark.parametrize("inst", EXCHANGE, ids=[i["name"] for i in EXCHANGE])
def test_exchange_answers(inst: dict[str, Any]) -> None:
    """The proven answers of the exchange family: the planner proves them again, the validator
    agrees with the value."""
    pool = read_exchange_pool(ROOT / inst["file"])
    scheme = load_scheme()
    result = plan_exchanges(pool, scheme, ExchangeOptions(time_limit=60, seed=1))
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(inst["best_known"])
    assert check_plan(pool, scheme, result.exchanges).value == pytest.approx(inst["best_known"])
