"""Settings of svc-visits (env prefix ``YS_``; port moves with ``YS_VISITS_PORT``)."""

from pathlib import Path

from pydantic import AliasChoices, Field

from yingshang.settings import ServiceSettings

REPO_ROOT = Path(__file__).resolve().parents[3]


class Settings(ServiceSettings):
    service: str = "visits"
    port: int = Field(8004, validation_alias=AliasChoices("YS_VISITS_PORT", "YS_PORT"))
    # The one source of organisation data (departments, halls); a built-in list otherwise.
    county_file: Path = REPO_ROOT / "deploy" / "seed" / "county.yaml"
    seed_on_start: bool = True
    # Demo enterprises and pairings (outside production only).
    seed_demo: bool = True
