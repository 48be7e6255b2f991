"""Settings of svc-approvals (env prefix ``YS_``; port moves with ``YS_APPROVALS_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "approvals"
    port: int = Field(8001, validation_alias=AliasChoices("YS_APPROVALS_PORT", "YS_PORT"))
    seed_on_start: bool = True
    lookup_rate_per_minute: int = 20  # public query-code lookups per client address
    # How long a window's pad (评价器) offers the 好差评 link of the application just served
    # there (受理 or 办结 at the window): the applicant rates then or by the SMS link.
    pad_offer_minutes: float = Field(5.0, gt=0)
