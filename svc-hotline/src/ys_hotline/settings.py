"""Settings of svc-hotline (env prefix ``YS_``; port moves with ``YS_HOTLINE_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "hotline"
    port: int = Field(8002, validation_alias=AliasChoices("YS_HOTLINE_PORT", "YS_PORT"))
    # Duplicate hints: near-identical content in the same category is looked for among the
    # open tickets received in the last this many natural days; an open ticket of the same
    # phone is a hint whatever its age (ys_hotline.tickets.duplicates).
    duplicate_window_days: int = Field(7, ge=1, le=90)
    # Public web form and tracking: requests per minute per client address.
    public_submit_per_minute: int = Field(5, ge=1)
    public_track_per_minute: int = Field(30, ge=1)
    seed_on_start: bool = True
