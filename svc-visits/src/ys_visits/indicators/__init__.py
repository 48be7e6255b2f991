"""Business-environment indicators and their owners (指标长): lead unit, owner, target,
periodic scores, and the tasks (交办单) linked to each."""
