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


def test_the_readme_library_example_imports_what_exists() -> None:
    """Every name the README's library example imports is there (the example reads files a
    reader has, so only its imports are run here), the four tasks and their options among them."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Library", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block is not None, "the README lost its library example"
    imports = re.findall(
        r"^from [\w.]+ import \((?:.|\n)*?\)|^from [\w.]+ import [^\n(]+", block.group(1), re.M
    )
    code = "\n".join(imports)
    for name in ("build", "group", "plan_exchanges", "solve_mdgp", "GroupOptions", "MdgpOptions"):
        assert re.search(rf"\b{name}\b", code), name
    exec(compile(code, "README.md library example", "exec"), {})
