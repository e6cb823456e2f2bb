"""Benchmarks behind `make bench`: each module prints its figures side by side with a baseline."""
