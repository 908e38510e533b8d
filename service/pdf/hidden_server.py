"""unoserver's server, patched so LibreOffice 7.4 opens documents hidden and starts sooner.

unoserver 3.7 loads documents without Hidden=True; on LibreOffice 7.4 headless that crashes
soffice on every XLSX. This entry point wraps the Desktop so every load adds Hidden=True, waits
for soffice's UNO socket in short steps instead of unoserver's fixed 5 s + 2 s sleeps, then runs
unoserver's own main(). It must run under a Python that can `import uno` (Debian's
/usr/bin/python3, or a venv made from it with --system-site-packages) and is started by file
path, so the `service` package (Flask) is never imported in this process.

    python unoserver_hidden.py --port 2103 --uno-port 2203 --user-installation /tmp/paicha-lo-2103
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

import uno  # noqa: F401  (fails early and clearly when uno is missing)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from unoserver import converter, server

CONNECT_WAIT = float(os.environ.get("PAICHA_UNO_CONNECT_WAIT", "60"))


class HiddenDesktop:
    """The Desktop, except that loadComponentFromURL always asks for a hidden frame."""

    def __init__(self, desktop):
        self._desktop = desktop

    def loadComponentFromURL(self, url, target, flags, props):  # noqa: N802 (UNO name)
        props = tuple(p for p in props if p.Name != "Hidden")
        props += (PropertyValue(Name="Hidden", Value=True),)
        document = self._desktop.loadComponentFromURL(url, target, flags, props)
        _no_autospace(document)
        return document

    def __getattr__(self, name):
        return getattr(self._desktop, name)


def _no_autospace(document) -> None:
    """No extra space between Chinese and Latin/digits (「2023年」, not 「2023 年」).

    The templates turn it off (w:autoSpaceDE/w:autoSpaceDN = 0) and Word/WPS honour that, but
    LibreOffice 7.4's DOCX import ignores both, so the document default is set here instead.
    The default alone is enough: an import that ignores the setting leaves it unset on every
    style, so all of them inherit it (one call, where walking the ~130 paragraph styles over the
    UNO bridge cost ~0.3 CPU-s a Word document and ~0.6 s of a 40-member 附件3: about a third of
    a district batch's LibreOffice time).
    """
    try:
        if document is not None and document.supportsService("com.sun.star.text.TextDocument"):
            document.createInstance("com.sun.star.text.Defaults").ParaIsCharacterDistance = False
    except Exception:  # noqa: BLE001 - spacing is cosmetic; never fail a conversion for it
        pass


_original_init = converter.UnoConverter.__init__


def _patched_init(self, *args, **kwargs):
    """Connect to soffice, retrying quickly while it starts; then hide every loaded document."""
    give_up = time.monotonic() + CONNECT_WAIT
    while True:
        try:
            _original_init(self, *args, **kwargs)
            break
        except NoConnectException:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.2)
    self.desktop = HiddenDesktop(self.desktop)


class _QuickStartTime:
    """`time` for unoserver.server: sleeps in the main thread (start-up waits) are shortened."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def sleep(seconds):
        if threading.current_thread() is threading.main_thread():
            seconds = min(seconds, 0.3)
        time.sleep(seconds)


def _die_with_parent():
    """When the supervising process dies, take this whole process group (soffice too) with us.

    The kernel sends SIGUSR1 when the parent goes (PR_SET_PDEATHSIG, Linux only); unoserver
    installs its own SIGTERM handler, which leaves oosplash behind, so we use a signal of ours.
    """
    parent = os.environ.get("PAICHA_PARENT_PID")
    if not parent or not sys.platform.startswith("linux"):
        return
    signal.signal(signal.SIGUSR1, lambda *_: os.killpg(os.getpgid(0), signal.SIGKILL))
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGUSR1)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - a safety net only
        return
    if os.getppid() != int(parent):
        os.killpg(os.getpgid(0), signal.SIGKILL)


def main() -> int:
    converter.UnoConverter.__init__ = _patched_init
    server.time = _QuickStartTime()
    _die_with_parent()
    sys.argv[0] = "unoserver"
    return server.main() or 0


if __name__ == "__main__":
    sys.exit(main())
