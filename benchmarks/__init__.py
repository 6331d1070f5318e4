"""Benchmark room: measurements, not tests; results go to docs/benchmarks.md."""
