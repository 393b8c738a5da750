"""Benchmark suite for the figures of TARGETS.md (not tests; CI does not run it)."""
