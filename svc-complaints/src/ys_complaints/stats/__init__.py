"""Statistics of the complaints center."""
