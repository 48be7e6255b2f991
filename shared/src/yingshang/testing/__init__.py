"""Test kit: token issuer, free ports, database templates, builders. Used by every suite."""
