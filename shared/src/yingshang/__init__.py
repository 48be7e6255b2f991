"""Yingshang (营商) common library: plumbing shared by every service. No domain models here."""

__all__ = ["__version__"]
__version__ = "0.1.0"
