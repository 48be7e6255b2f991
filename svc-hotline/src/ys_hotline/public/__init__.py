"""Public endpoints (no token): submit a request, track it by number + query code."""
