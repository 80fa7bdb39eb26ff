"""On-demand benchmarks (never part of the test suite); see docs/performance.md."""
