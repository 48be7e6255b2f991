"""Events svc-ratings consumes from every service (contract.md), validated like input."""
