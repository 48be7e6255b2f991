"""Settings of svc-ratings (env prefix ``YS_``; port moves with ``YS_RATINGS_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "ratings"
    port: int = Field(8005, validation_alias=AliasChoices("YS_RATINGS_PORT", "YS_PORT"))
