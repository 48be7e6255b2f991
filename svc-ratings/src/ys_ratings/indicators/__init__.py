"""Indicator sets (评价指标) of the national template, versioned, as data."""
