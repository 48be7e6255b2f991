"""The case-kit sample service: a small case kind built with every piece of the kit.

It is the reference a service copies: models with ``VersionMixin``, the state machine as data,
thin routes (404 for cases outside your department, ETag/If-Match, Idempotency-Key on create,
cursor pages), masking with audited unmasked reads, attachments. The tests of the kit drive it
over HTTP.
"""
