"""Every table of svc-approvals, so migrations and the app see the complete metadata."""

from ys_approvals.applications import models as applications
from ys_approvals.appointments import models as appointments
from ys_approvals.catalog import models as catalog
from ys_approvals.directory import models as directory
from ys_approvals.disclosure import models as disclosure
from ys_approvals.duty import models as duty
from ys_approvals.halls import models as halls
from ys_approvals.history import Revision
from ys_approvals.models import Base
from ys_approvals.packages import models as packages

__all__ = [
    "Base",
    "Revision",
    "applications",
    "appointments",
    "catalog",
    "directory",
    "disclosure",
    "duty",
    "halls",
    "packages",
]
