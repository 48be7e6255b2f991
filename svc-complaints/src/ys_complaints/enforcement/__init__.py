"""Enforcement oversight: departments' actions toward enterprises against the 70/20/10 mix."""
