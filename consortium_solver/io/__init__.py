"""Files in and out: pools (JSON, CSV, XLSX), result documents for people (CSV, XLSX, Markdown,
HTML), and writes that never leave a half-written file."""

from consortium_solver.io.atomic import atomic_write_bytes, atomic_write_text, check_writable
from consortium_solver.io.importer import (
    ImportOptions,
    ImportReport,
    Problem,
    SheetProblems,
    import_pool,
)
from consortium_solver.io.pools import (
    POOL_COLUMNS,
    pool_from_json_data,
    pool_to_csv,
    pool_to_json,
    pool_to_xlsx,
    read_pool,
    write_pool,
)
from consortium_solver.io.reports import (
    GROUPING_WRITERS,
    RESULT_WRITERS,
    check_output,
    output_writer,
    write_grouping,
    write_result,
)
from consortium_solver.io.tables import csv_text

__all__ = [
    "GROUPING_WRITERS",
    "POOL_COLUMNS",
    "RESULT_WRITERS",
    "ImportOptions",
    "ImportReport",
    "Problem",
    "SheetProblems",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output",
    "check_writable",
    "csv_text",
    "import_pool",
    "output_writer",
    "pool_from_json_data",
    "pool_to_csv",
    "pool_to_json",
    "pool_to_xlsx",
    "read_pool",
    "write_grouping",
    "write_pool",
    "write_result",
]
