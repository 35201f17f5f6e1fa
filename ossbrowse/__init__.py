"""ossbrowse: a two-pane terminal file manager for Alibaba Cloud OSS."""

__version__ = "0.1.0"
