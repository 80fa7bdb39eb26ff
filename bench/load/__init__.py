"""The load test: simulated hospitals sending dose reports through REST and STOW-RS (bench/load/run.py)."""
