"""Ratings (好差评): levels, indicator scores, channels, rater identity (masked)."""
