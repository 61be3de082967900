"""Inputs for benchmarking the widget view functions, one module per dpdlab package.

Each module defines ``cases(rng) -> dict[name, callable]``: every callable calls one view function with
valid, varied inputs drawn from ``rng``, the way a student moving the widget's controls would.
bench/run.py discovers the modules, so a new case or concept module only adds a file here.
"""
