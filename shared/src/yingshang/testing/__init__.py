"""Test kit: token issuer, free ports, nats-server, template databases, services, builders.

The fixtures live in :mod:`yingshang.testing.plugin` (a pytest plugin registered through the
``pytest11`` entry point, so every suite of the repository has them without a conftest).
"""

from yingshang.processes import free_port
from yingshang.testing.builders import (
    Builder,
    PrincipalBuilder,
    a_clerk,
    a_client,
    a_head,
    a_person,
    a_staff,
    an_admin,
    the_bureau,
    the_committee,
)
from yingshang.testing.nats import NatsCluster, NatsProcess
from yingshang.testing.tokens import TestIssuer

__all__ = [
    "Builder",
    "NatsCluster",
    "NatsProcess",
    "PrincipalBuilder",
    "TestIssuer",
    "a_clerk",
    "a_client",
    "a_head",
    "a_person",
    "a_staff",
    "an_admin",
    "free_port",
    "the_bureau",
    "the_committee",
]
