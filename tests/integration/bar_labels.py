#!/usr/bin/python3
"""Prints what waybar shows, as a screen reader reads it through AT-SPI: one JSON line per label, with its text
and its centre in the bar's window."""
import json

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402


def labels(node):
    if node.get_role() == Atspi.Role.LABEL:
        yield node
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child:
            yield from labels(child)


desktop = Atspi.get_desktop(0)
for i in range(desktop.get_child_count()):
    application = desktop.get_child_at_index(i)
    if application and application.get_name() == "waybar":
        for label in labels(application):
            box = label.get_extents(Atspi.CoordType.WINDOW)
            print(json.dumps({"text": label.get_name(), "x": box.x + box.width // 2, "y": box.y + box.height // 2}))
