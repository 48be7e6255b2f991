"""OAuth2 authorization server: signing keys, token issuing, grants, endpoints."""
