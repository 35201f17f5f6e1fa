"""The two sides behind one interface: the local file system and OSS (see base.py)."""
