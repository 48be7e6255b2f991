"""Settings of svc-ratings (env prefix ``YS_``; port moves with ``YS_RATINGS_PORT``)."""

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings


class Settings(ServiceSettings):
    service: str = "ratings"
    port: int = Field(8005, validation_alias=AliasChoices("YS_RATINGS_PORT", "YS_PORT"))
    # Who counts as the ratings center's own staff (the only ones who see rater identity).
    # Unset: positions at RATINGS_CENTER when county.yaml declares that unit, otherwise the
    # bureau's clerk/staff positions acting for ratings (see ys_ratings.access).
    ratings_center_dept: str | None = None
    ratings_center_roles: list[str] | None = None
    # Link sent to the rater (the originating service sends the SMS; it holds the phone): an
    # SMS needs it absolute, ``<public_base_url><rate_link_prefix><token>``. The public base
    # URL is where citizens reach the console (the gateway's public address); ``make run``
    # sets it to the gateway's own (deploy/README.md, "SMS").
    public_base_url: str = Field("http://127.0.0.1:8000", pattern=r"^https?://[^/\s]+/?$")
    rate_link_prefix: str = "/console/public/rate/"
    default_rating_interval_seconds: float = 60.0
    seed_on_start: bool = True
    # Case kinds per producing service whose events svc-ratings consumes (contract.md):
    # created/closed and the deadline events feed oversight; ``completed`` (approvals,
    # complaints, visits) makes invitations; 12345 ``revisited`` is a rating.
    consumed_kinds: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "approvals": ["application"],
            "hotline": ["ticket"],
            "complaints": ["case", "finding"],
            "visits": ["problem", "pairing"],
        }
    )

    def rate_link(self) -> str:
        """The rating link without its token: ``https://…/console/public/rate/``."""
        return self.public_base_url.rstrip("/") + self.rate_link_prefix
