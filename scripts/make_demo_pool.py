"""Regenerate the packaged demo pool: ``python scripts/make_demo_pool.py`` (same bytes every time)."""

from __future__ import annotations

from pathlib import Path

from consortium_solver.io import write_pool
from consortium_solver.synthetic.pools import generate_pool

DEMO = Path(__file__).resolve().parent.parent / "consortium_solver" / "data" / "demo_pool.json"


def main() -> None:
    pool = generate_pool(200, 2018, name="demo", id_prefix="demo")
    write_pool(pool, DEMO)
    print(f"wrote {len(pool)} organisations to {DEMO}")


if __name__ == "__main__":
    main()
