"""12345 hotline center (12345热线)."""
