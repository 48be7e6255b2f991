"""Platform checks every service carries: access declarations, health, bounded API fuzz."""

from yingshang.testing.platform import PlatformChecks
from ys_complaints.app import SERVICE_DIR, create_app
from ys_complaints.settings import Settings


class TestPlatform(PlatformChecks):
    create_app = staticmethod(create_app)
    settings_class = Settings
    service_dir = SERVICE_DIR
