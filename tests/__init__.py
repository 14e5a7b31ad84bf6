"""The test suite, one folder per subject. Helpers are imported by package path (`from tests.superset.server
import ...`); the reference implementations, tests/reference and tests/reference_business, by their own names."""
