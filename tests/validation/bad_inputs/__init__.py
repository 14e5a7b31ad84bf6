"""The bad-input corpus: a clean base data set, and cases that each break exactly one rule of the gate.

Built as files (and, for rules only a non-loader warehouse can break, as rows written straight into raw) by the
Python in this package, so that every case states its bad value next to the rule it breaks.
"""
