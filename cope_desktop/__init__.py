"""COPE Desktop: confidential case records and network returns for COPE members."""

__version__ = "0.1.0"
APP_NAME = "COPE Desktop"
APP_AUTHOR = "COPE"
