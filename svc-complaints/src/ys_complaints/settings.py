"""Settings of svc-complaints (env prefix ``YS_``; port moves with ``YS_COMPLAINTS_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "complaints"
    port: int = Field(8003, validation_alias=AliasChoices("YS_COMPLAINTS_PORT", "YS_PORT"))
    # Public web form and tracking: requests per minute per client address.
    public_submit_per_minute: int = Field(5, ge=1)
    public_track_per_minute: int = Field(30, ge=1)
    seed_on_start: bool = True
