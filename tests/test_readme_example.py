"""The README's example property test runs as written (copied out of the README, then run)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_property_example_runs() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Testing kit", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block is not None, "the README lost its example"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "README.md example", "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0]()  # hypothesis runs its examples; any failing one raises
