"""The reference implementation itself (tests/reference), on tiny folders whose answers are worked out by hand."""
