"""Write tests/data/organiser/participants.xlsx, the organiser's sheet of issue 13, from the helper
tests/organiser.py (never by hand): ``python scripts/make_organiser_sheet.py``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.organiser import write_organiser_sheet  # noqa: E402

if __name__ == "__main__":
    target = ROOT / "tests" / "data" / "organiser" / "participants.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_organiser_sheet(target)
    print(f"written: {target}")
