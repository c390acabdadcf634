"""The benchmark: development tooling, run by `make bench` (see README.md here)."""
