"""Preview a PNG, JPEG, GIF or WebP object or file as a picture (textual-image).

At most `MAX_PREVIEW_BYTES` are read (one ranged read); a bigger image gets a one-line note.
The picture is decoded with Pillow, downscaled to the screen, and drawn with the terminal's
graphics protocol (Kitty, Sixel) when `prepare_before_start` found one, else with coloured
half-blocks (shape blocks under NO_COLOR). `--ascii` draws no picture, only a note.

textual-image asks the terminal what it supports when it is first imported, which cannot
happen once Textual reads the keyboard: `prepare_before_start` runs that import before the
app starts, and only on terminals that announce graphics (so others pay nothing at start-up).
Imported later, it is imported with the query switched off, and half-blocks are used.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from ossbrowse.fs.base import Entry, FileSystem
from ossbrowse.text import safe_text
from ossbrowse.ui.rows import human_size
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
MAX_PREVIEW_BYTES = 8 * 1024 * 1024  # never more downloaded for a preview
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


def is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def announces_graphics(env: dict[str, str] | os._Environ[str]) -> bool:
    """Terminals that say who they are and draw pictures: Kitty, WezTerm, iTerm2, Konsole."""
    term_program = env.get("TERM_PROGRAM", "")
    return bool(
        env.get("KITTY_WINDOW_ID")
        or env.get("TERM", "") == "xterm-kitty"
        or term_program in ("WezTerm", "iTerm.app")
        or env.get("KONSOLE_VERSION")
    )


def prepare_before_start(ascii_only: bool) -> None:
    """Before the app takes the terminal: let textual-image ask it about graphics."""
    if ascii_only or not sys.__stdout__ or not sys.__stdout__.isatty():
        return
    if not announces_graphics(os.environ):
        return
    try:
        import textual_image.widget  # noqa: F401  (the import is the query)
    except Exception:
        pass  # no pictures beats no start: half-blocks later


class _NotATerminal(io.StringIO):
    def isatty(self) -> bool:
        return False


def _import_quietly() -> Any:
    """textual_image.widget without its terminal query (Textual owns the terminal now)."""
    if "textual_image.widget" in sys.modules:
        return sys.modules["textual_image.widget"]
    # sys.__stdout__ is typed read-only; it is swapped for the import's terminal query only.
    real = sys.__stdout__
    setattr(sys, "__stdout__", _NotATerminal())  # noqa: B010
    try:
        import textual_image.widget as widget
    finally:
        setattr(sys, "__stdout__", real)  # noqa: B010
    return widget


def image_widget_class(no_color: bool) -> Any:
    widget = _import_quietly()
    renderable = widget.AutoRenderable
    if renderable in (widget.TGPRenderable, widget.SixelRenderable):
        return widget.Image  # the terminal said it can draw pictures
    return widget.UnicodeImage if no_color else widget.HalfcellImage


def fit_cells(width: int, height: int, cols: int, rows: int) -> tuple[int, int]:
    """Cells for a `width` x `height` picture inside `cols` x `rows` (a cell is ~1:2)."""
    if width <= 0 or height <= 0:
        return 1, 1
    by_width = (cols, max(1, round(cols * height / width / 2)))
    if by_width[1] <= rows:
        return by_width
    return max(1, round(rows * 2 * width / height)), rows


def decode(data: bytes, max_side: int = 1024) -> Any:
    """A Pillow image, downscaled to at most `max_side` pixels a side; ValueError if not one."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValueError(
                f"it is {image.width:,} x {image.height:,} pixels, too many to preview"
            )
        image.draft("RGB", (max_side, max_side))  # JPEG: decode at a smaller scale
        image.load()
    except Image.DecompressionBombError as exc:
        raise ValueError("it has too many pixels to preview") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("it is not an image Pillow can read (damaged, or another format)") from exc
    size = image.size
    picture = image.convert("RGB")
    picture.thumbnail((max_side, max_side))
    picture.info["original_size"] = size
    return picture


class ImageViewer(ReportsWorkerErrors, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f3,f10", "close", "Close", id="image.close"),
        Binding("v,f4", "as_bytes", "Text/hex", id="image.as_bytes"),
    ]

    def __init__(self, fs: FileSystem, entry: Entry, *, ascii_only: bool = False) -> None:
        super().__init__()
        self.fs = fs
        self.entry = entry
        self.ascii_only = ascii_only
        self.title_line = Static(Text(safe_text(entry.path)), id="image-title")
        self.note = Static(Text("Reading..."), id="image-note")
        self.picture: Any = None  # the textual-image widget, once shown

    def compose(self) -> ComposeResult:
        yield self.title_line
        with Middle(id="image-area"), Center():
            yield self.note
        yield Footer(compact=True)

    def on_mount(self) -> None:
        size = human_size(self.entry.size)
        if self.ascii_only:
            self.show_note(f"{safe_text(self.entry.name)} is an image ({size}); --ascii draws "
                           "no pictures. v shows its bytes as hex.")  # fmt: skip
            return
        if self.entry.size > MAX_PREVIEW_BYTES:
            cap = human_size(MAX_PREVIEW_BYTES)
            self.show_note(f"{safe_text(self.entry.name)} is {size}: too large to preview (at "
                           f"most {cap} are read). v shows it as hex.")  # fmt: skip
            return
        self._load()

    def show_note(self, text: str) -> None:
        self.note.update(Text(text))
        self.note.display = True

    @work(thread=True, exclusive=True, exit_on_error=False, group="image")
    def _load(self) -> None:
        end = min(self.entry.size, MAX_PREVIEW_BYTES) if self.entry.size else MAX_PREVIEW_BYTES
        with self.fs.open_read(self.entry.path, 0, end) as stream:
            data = stream.read(MAX_PREVIEW_BYTES + 1)
        if len(data) > MAX_PREVIEW_BYTES:
            self.app.call_from_thread(self.show_note, "Too large to preview: v shows it as hex.")
            return
        try:
            image = decode(data)
        except ValueError as exc:
            message = f"No preview of {safe_text(self.entry.name)}: {exc}. v shows it as hex."
            self.app.call_from_thread(self.show_note, message)
            return
        self.app.call_from_thread(self._show, image, len(data))

    def _show(self, image: Any, read: int) -> None:
        width, height = image.info.get("original_size", image.size)
        area = self.query_one("#image-area")
        cols, rows = fit_cells(width, height, max(1, area.size.width - 2),
                               max(1, area.size.height - 1))  # fmt: skip
        cls = image_widget_class(no_color=bool(os.environ.get("NO_COLOR")))
        self.picture = cls(image, id="image-picture")
        self.picture.styles.width = cols
        self.picture.styles.height = rows
        self.note.display = False
        beside = self.note.parent  # the Center the note sits in
        if isinstance(beside, Widget):
            beside.mount(self.picture)
        about = f"{width} x {height} px, {human_size(read)}"
        self.title_line.update(Text(f"{safe_text(self.entry.path)}  {about}"))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_as_bytes(self) -> None:
        from ossbrowse.ui.viewer import Viewer

        self.app.switch_screen(Viewer(self.fs, self.entry))
