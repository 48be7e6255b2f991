"""Events: CloudEvents envelope, transactional outbox, relay, consumers with inbox."""
