"""Settings of svc-complaints (env prefix ``YS_``; port moves with ``YS_COMPLAINTS_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "complaints"
    port: int = Field(8003, validation_alias=AliasChoices("YS_COMPLAINTS_PORT", "YS_PORT"))
