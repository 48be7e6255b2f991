"""The case kit: state machines as data, timeline, ETags, pagination, case numbers."""
