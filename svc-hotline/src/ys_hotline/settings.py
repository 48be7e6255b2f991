"""Settings of svc-hotline (env prefix ``YS_``; port moves with ``YS_HOTLINE_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "hotline"
    port: int = Field(8002, validation_alias=AliasChoices("YS_HOTLINE_PORT", "YS_PORT"))
