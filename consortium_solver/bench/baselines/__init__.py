"""Baselines the benchmarks run beside our solvers: HiGHS on the builder's model (:mod:`.highs`) and
the builder's greedy construction (:mod:`.greedy`)."""
