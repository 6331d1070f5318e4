"""Test helper: ask the window manager to close a window, as a taskbar's Close button does.

xdotool can destroy or kill a window, but not ask politely: a pager or taskbar sends the
window manager a ``_NET_CLOSE_WINDOW`` message, and the window manager then asks the
application (``WM_DELETE_WINDOW``). See
https://specifications.freedesktop.org/wm-spec/latest/ar01s04.html#id-1.5.2
"""

from __future__ import annotations

import ctypes
import ctypes.util

_CLIENT_MESSAGE = 33
_SUBSTRUCTURE_NOTIFY = 1 << 19
_SUBSTRUCTURE_REDIRECT = 1 << 20
_SOURCE_PAGER = 2  # the request comes from a pager or taskbar, on the user's behalf


class _ClientMessage(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    )


class _Event(ctypes.Union):
    _fields_ = (("xclient", _ClientMessage), ("pad", ctypes.c_long * 24))


def request_close(display: str, window: int) -> None:
    """Send ``_NET_CLOSE_WINDOW`` for ``window`` to the root window of ``display``."""
    name = ctypes.util.find_library("X11")
    if name is None:
        raise OSError("libX11 not found")
    x11 = ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int)
    x11.XSendEvent.argtypes = (
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(_Event),
    )  # fmt: skip
    x11.XSync.argtypes = (ctypes.c_void_p, ctypes.c_int)
    x11.XCloseDisplay.argtypes = (ctypes.c_void_p,)

    connection = x11.XOpenDisplay(display.encode())
    if not connection:
        raise OSError(f"cannot open display {display}")
    try:
        event = _Event()
        event.xclient.type = _CLIENT_MESSAGE
        event.xclient.window = window
        event.xclient.message_type = x11.XInternAtom(connection, b"_NET_CLOSE_WINDOW", 0)
        event.xclient.format = 32
        event.xclient.data[0] = 0  # CurrentTime
        event.xclient.data[1] = _SOURCE_PAGER
        root = x11.XDefaultRootWindow(connection)
        mask = _SUBSTRUCTURE_NOTIFY | _SUBSTRUCTURE_REDIRECT
        if not x11.XSendEvent(connection, root, 0, mask, ctypes.byref(event)):
            raise OSError("XSendEvent failed")
        x11.XSync(connection, 0)
    finally:
        x11.XCloseDisplay(connection)
