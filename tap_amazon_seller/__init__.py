"""Singer tap for Amazon's Selling Partner API, with a bundled SP-API simulator."""

__version__ = "0.1.0"
