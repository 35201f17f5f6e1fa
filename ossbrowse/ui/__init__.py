"""The Textual user interface: two panes, transfers, dialogs; the only package importing Textual.

How a new feature plugs in (versions, usage, compare, find...):

1. Its key: one `KeySpec` line in `keys.py`. `MAIN_KEYS` are bound on the main screen and act
   on the active pane; the spec's id is what `[keys]` in config.toml remaps, and the help
   screen and the command palette list it from the same line.
2. Its action: one line on `MainScreen` that hands over to the feature's own module, e.g.
   `def action_versions(self) -> None: open_versions(self.services, self.active)`. The
   behaviour lives in that module: a `Screen` of its own (pushed with `app.push_screen`) or a
   widget that owns its keys (`BINDINGS` on the widget) and its workers. No mixins on
   `MainScreen`: it only lays out the panes and hands keys over, to objects it owns, one
   job each (`screen.entries`, `screen.ops`, `screen.features`, `screen.transfer_control`);
   a feature that needs one of them is handed the screen and calls it, typed.
3. The session: `Services` (`services.py`), given to a screen or widget in its constructor:
   sides (file systems), tasks (the task runner), engine, questions (dialogs asked from worker
   threads, awaited with a default), write_gate, bucket_for, presigner, show_error, clock,
   read_only. Typed: read `self.services.tasks`, never `self.app.<attribute>` or getattr.
4. Writes: a write action is gated with `@writes("what", where=...)` (`write_gate.py`), or
   calls `gate_then(...)` for a folder known later: the mount answer is computed off the UI
   thread, once per destination.
5. Blocking calls run in thread workers (`@work(thread=True, exit_on_error=False)`) of a node
   that mixes in `ReportsWorkerErrors`, so a failure is shown once, by `services.show_error`.
6. Types: `ossbrowse/ui` is checked by mypy (`mypy.ini`); write no `# type: ignore`.
"""
