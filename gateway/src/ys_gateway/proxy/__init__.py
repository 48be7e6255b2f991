"""The data path: a raw ASGI reverse proxy in front of the gateway's own FastAPI app."""
