"""Benchmarks of govtrain's hot paths at state scale (`make bench`; see bench/README.md)."""
