"""Settings of svc-visits (env prefix ``YS_``; port moves with ``YS_VISITS_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "visits"
    port: int = Field(8004, validation_alias=AliasChoices("YS_VISITS_PORT", "YS_PORT"))
    seed_on_start: bool = True
    # Demo enterprises and pairings (outside production only).
    seed_demo: bool = True
