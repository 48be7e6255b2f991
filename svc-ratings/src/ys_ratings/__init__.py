"""Ratings (好差评), rectification and the bureau's oversight."""
