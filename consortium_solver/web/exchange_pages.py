"""A ClusterXchange run's pages: the programme the planner found, judged again by the exchange
validator (``validate.exchanges.check_plan``), and its files (the page with the map, the workbook,
JSON)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from consortium_solver.domain import ExchangeResult
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.io.exchange_kpis import partnership_kpis
from consortium_solver.io.exchange_page import plan_page
from consortium_solver.io.exchanges import plan_to_xlsx
from consortium_solver.reference.places import country_name
from consortium_solver.rules.scheme import load_scheme
from consortium_solver.validate.exchanges import check_plan
from consortium_solver.web.context import ctx, page, path_run
from consortium_solver.web.store import Run
from consortium_solver.web.tasks import ExchangeRun

TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def exchange_run(request: Request) -> tuple[Run, ExchangePool] | None:
    """The run of the path when it is a ClusterXchange run, with its participants."""
    found = path_run(request)
    if found is None or found[0].task != "exchange":
        return None
    return found[0], ExchangePool.model_validate_json(found[1])


def exchange_page(request: Request, run: Run, pool: ExchangePool) -> Response:
    project = ctx(request).store.project(run.project_id)
    values: dict[str, Any] = {}
    if run.finished_ok and run.result_json is not None and isinstance(run.spec, ExchangeRun):
        result = ExchangeResult.model_validate_json(run.result_json)
        scheme, options = load_scheme(run.spec.scheme), run.spec.options
        verdict = check_plan(pool, scheme, result.exchanges, options.history, options.max_halved)
        by_id = pool.by_id
        rows = [
            (by_id[x.visitor].name, country_name(by_id[x.visitor].country), by_id[x.host].name,
             country_name(by_id[x.host].country), x.working_days, x.distance_km, x.lump_sum)
            for x in result.exchanges
        ]  # fmt: skip
        unplaced = [(by_id[u.id].name, u.reason) for u in result.unplaced]
        kpis = partnership_kpis(result, pool, scheme)
        values = {"result": result, "verdict": verdict, "rows": rows, "unplaced": unplaced,
                  "kpis": kpis}  # fmt: skip
    return page(request, "exchange.html", run=run, project=project, **values)


def exchange_download(run: Run, pool: ExchangePool, kind: str) -> Response:
    if kind not in TYPES or not run.finished_ok or run.result_json is None:
        return Response("There is no such download.", status_code=404, media_type="text/plain")
    result = ExchangeResult.model_validate_json(run.result_json)
    body: str | bytes
    if kind == "html":
        body = plan_page(result, pool)
    elif kind == "xlsx":
        body = plan_to_xlsx(result, pool)
    else:
        body = result.to_json() + "\n"
    headers = {"Content-Disposition": f'attachment; filename="programme-run-{run.id}.{kind}"'}
    return Response(body, media_type=TYPES[kind], headers=headers)
