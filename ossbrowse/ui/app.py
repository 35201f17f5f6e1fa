"""The application: builds the main screen, owns the engine link, handles every worker error.

Everything blocking runs in thread workers; their failures all arrive in
`on_worker_state_changed` and become one short notification with the error's own message.
Engine events arrive on engine threads and are posted as `TransferUpdated` messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry
from ossbrowse.tasks import Event, TaskStateChanged
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui import keys
from ossbrowse.ui.asking import Questions
from ossbrowse.ui.describe import show_error
from ossbrowse.ui.dialogs.confirm import ConfirmDialog
from ossbrowse.ui.dialogs.conflict import ConflictDialog
from ossbrowse.ui.input_priority import InputActivity
from ossbrowse.ui.key_names import pretty_keys
from ossbrowse.ui.main_screen import MainScreen
from ossbrowse.ui.messages import RestoreStateChanged, TransferUpdated
from ossbrowse.ui.services import Services
from ossbrowse.ui.sides import Sides
from ossbrowse.ui.words import counted
from ossbrowse.ui.write_gate import MountGate

if TYPE_CHECKING:
    from ossbrowse.ops.restore import RestoreWatcher

EngineFactory = Callable[[Callable[[Any], None]], Any]  # on_event -> TransferEngine
BucketFor = Callable[[str], Any]  # bucket name -> oss2.Bucket, for the operations layer


class OssBrowseApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "ossbrowse"
    BINDINGS = keys.bindings(keys.APP_KEYS)
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        sides: Sides,
        left: str,
        right: str,
        *,
        ascii_only: bool = False,
        engine_factory: EngineFactory | None = None,
        presigner: Callable[[str, int], str] | None = None,
        bucket_for: BucketFor | None = None,
        read_only: bool = False,
        restore_poll: float = 10.0,
        keymap: Mapping[str, str] | None = None,
        startup_notes: Iterable[str] = (),
        on_exit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        from ossbrowse.tasks import TaskRunner

        self.ascii_only = ascii_only
        self.restore_poll = restore_poll  # seconds between HEADs of restoring objects
        self._restore_watcher: RestoreWatcher | None = None
        self.keys_config = dict(keymap or {})
        self.startup_notes = list(startup_notes)
        self.on_exit_hook = on_exit
        # False when the session's state goes away at exit (the demo): quitting says so.
        self.transfers_resumable = True
        engine = engine_factory(self._on_engine_event) if engine_factory else None
        # One runner for every task: the engine's (its copies in their own lane) when there
        # is one, so moves, deletes, restores and edits are listed and controlled the same way.
        runner = engine.runner if engine is not None else TaskRunner(self._on_engine_event)
        # The one typed object the widgets and screens use (ui/services.py).
        self.services = Services(
            sides=sides,
            questions=Questions(self),
            write_gate=MountGate(),
            tasks=runner,
            input_activity=InputActivity(),
            show_error=self.show_error,
            restore_watcher=self.restore_watcher,
            engine=engine,
            bucket_for=bucket_for,
            presigner=presigner,
            read_only=read_only,
            ascii_only=ascii_only,
        )
        services = self.services
        # The same objects under the names the operations' actions still use.
        self.sides = services.sides
        self.presigner = presigner
        self.bucket_for = bucket_for
        self.read_only = read_only
        self.write_gate = services.write_gate
        self.questions = services.questions
        self.input_activity = services.input_activity
        self.engine = services.engine
        self.tasks = services.tasks
        self.job_targets = services.jobs.targets
        self.temp_files = services.jobs.temp_files
        self.job_requests = services.jobs.requests
        self.main = MainScreen(services, left, right)
        if ascii_only:
            self.add_class("-ascii")

    # -- start and stop ----------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.keys_config:
            self.set_keymap(self.keys_config)
        if self.ascii_only:
            from ossbrowse.ui import ascii_mode

            ascii_mode.enable()
            self.screen.add_class("-ascii")
        self.push_screen(self.main)
        if self.ascii_only:
            self.main.add_class("-ascii")
        for note in self.startup_notes:
            self.notify(note, severity="warning", markup=False, timeout=10)
        self._offer_unfinished()

    def _offer_unfinished(self) -> None:
        engine = self.engine
        if engine is None or not hasattr(engine, "unfinished"):
            return
        try:
            unfinished = list(engine.unfinished())
        except OssBrowseError as exc:
            self.show_error(exc)
            return
        if not unfinished:
            return
        lines = [f"{counted(len(unfinished), 'transfer')} did not finish last time:"]
        for item in unfinished[:5]:
            src, dst = getattr(item, "src", "?"), getattr(item, "dst", "?")
            lines.append(f"  {safe_text(str(src))} -> {safe_text(str(dst))}")

        def answered(ok: bool | None) -> None:
            if ok:
                for item in unfinished:
                    self.main.transfer_control.submit_resume(item)

        self.push_screen(ConfirmDialog("Resume unfinished transfers?", lines, yes="Resume"),
                         answered)  # fmt: skip

    def restore_watcher(self) -> RestoreWatcher:
        """The one watcher of restoring objects, started the first time a restore is sent."""
        if self._restore_watcher is None:
            from ossbrowse.ops.restore import RestoreWatcher

            def changed(bucket: str, key: str, state: Any) -> None:
                self.post_message(RestoreStateChanged(f"oss://{bucket}/{key}", state))

            self._restore_watcher = RestoreWatcher(interval=self.restore_poll, on_change=changed)
        return self._restore_watcher

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                              events.MouseScrollUp)):  # fmt: skip
            self.input_activity.touch()
        await super().on_event(event)

    def on_restore_state_changed(self, message: RestoreStateChanged) -> None:
        self.main.ops.restore_state_changed(message.path, message.state)

    def on_unmount(self) -> None:
        self.questions.close()  # first: a thread waiting on a dialog gets its default and ends
        if self.ascii_only:
            from ossbrowse.ui import ascii_mode

            ascii_mode.disable()
        self.tasks.shutdown(wait=False)
        if self._restore_watcher is not None:
            self._restore_watcher.stop()
        if self.engine is not None:
            try:
                self.engine.shutdown(wait=False)
            except Exception:
                pass  # leaving anyway; checkpoints let the next run resume
        self.sides.close()
        if self.on_exit_hook is not None:
            self.on_exit_hook()

    # -- errors: the one place ---------------------------------------------------------------

    def show_error(self, exc: BaseException) -> None:
        show_error(self, exc)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers started on the app itself; other nodes forward theirs (worker_errors.py).
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)

    # -- the transfer engine -----------------------------------------------------------------

    def _on_engine_event(self, event: Event) -> None:
        """Called on a task's thread (the one runner's events, every kind of task alike):
        hand over to the UI thread as a message."""
        self.post_message(TransferUpdated(event.job, isinstance(event, TaskStateChanged)))

    def on_transfer_updated(self, message: TransferUpdated) -> None:
        self.main.handle_transfer(message.job, message.state_changed)
        if message.state_changed and message.job.state.finished:
            temp = self.temp_files.pop(message.job.id, None)
            if temp is not None:
                import os

                try:
                    os.unlink(temp)
                except OSError:
                    pass

    def resolve_conflict(self, src: Entry | None, dst: Entry | None) -> ConflictPolicy:
        """Called from an engine worker thread; blocks it until the user answers (or the app
        closes: then the clash is skipped)."""
        answer = self.questions.ask(ConflictDialog(src, dst), default=ConflictPolicy.SKIP)
        return answer or ConflictPolicy.SKIP

    def running_transfers(self) -> int:
        """Transfers and operations not finished yet (quitting asks first when any are)."""
        unfinished = {task.id for task in self.tasks.unfinished()}
        if self.engine is None:
            return len(unfinished)
        try:
            jobs = self.engine.jobs()
        except Exception:
            return len(unfinished)
        # The engine's copies are tasks of the same runner when it shares the session's: by
        # id, so each is counted once.
        unfinished.update(j.id for j in jobs if not j.state.finished)
        return len(unfinished)

    # -- app keys ----------------------------------------------------------------------------

    def action_help(self) -> None:
        from ossbrowse.ui.dialogs.help import HelpScreen  # not needed for the first frame

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keys_config, self.ascii_only))

    async def action_quit(self) -> None:
        running = self.running_transfers()
        if not running:
            self.exit()
            return

        def answered(ok: bool | None) -> None:
            if ok:
                self.exit()

        then = (
            "they can be resumed at the next start."
            if self.transfers_resumable
            else "this session's files are removed on the way out, so they cannot be resumed."
        )
        lines = [
            f"{counted(running, 'transfer')} still running, queued or paused.",
            f"Quitting stops them; {then}",
        ]
        self.push_screen(ConfirmDialog("Quit?", lines, yes="Quit", danger=True), answered)

    def action_command_palette(self) -> None:
        # Textual's own, with a placeholder that shows what to type (and is ASCII for --ascii).
        from textual.command import CommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            placeholder = "Search for commands, e.g. 'Transfer: pause all'"
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Ours, in "area: verb" form with the keys as typed and the id to remap them; of
        # Textual's own only the theme and the screenshot (its "Keys" panel and "Maximize"
        # describe another app's keys, and "Quit" would skip the running-transfers question).
        for spec in keys.MAIN_KEYS:
            if spec.palette and isinstance(screen, MainScreen):
                action = getattr(screen, f"action_{spec.action}", None)
                if action is None:
                    continue
                key_text = pretty_keys(keys.effective_keys(spec, self.keys_config))
                yield SystemCommand(spec.title, f"keys: {key_text}  (id {spec.id})", action)
        yield SystemCommand("App: help", "every key, with its id (keys: f1 ?)", self.action_help)
        yield SystemCommand("App: quit", "asks first while transfers run (keys: f10 q)",
                            self.action_quit)  # fmt: skip
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Screenshot"):
                yield SystemCommand(f"App: {command.title.lower()}", command.help,
                                    command.callback)  # fmt: skip
