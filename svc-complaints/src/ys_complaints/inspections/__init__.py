"""Undercover inspections (暗访) and their findings, each a rectification task."""
