"""Gateway: identity, tokens, routing, webhooks, console."""
