"""Modal dialogs of the UI, one a module; each a `ModalScreen[T]` with a clear default."""
