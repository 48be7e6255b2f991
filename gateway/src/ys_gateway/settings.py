"""Settings of gateway (env prefix ``YS_``; port moves with ``YS_GATEWAY_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "gateway"
    port: int = Field(8000, validation_alias=AliasChoices("YS_GATEWAY_PORT", "YS_PORT"))
