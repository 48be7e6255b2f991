"""Helpers for tests and benchmarks of the gateway (not used by the running gateway)."""
