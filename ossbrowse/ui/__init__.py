"""The Textual user interface: two panes, transfers, dialogs; the only package importing Textual."""
