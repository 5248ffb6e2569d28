"""Text from a file reaches a widget as plain text: never as HTML that Qt would render.

Qt guesses: a message box, tooltip or label whose text looks like HTML renders it as rich text, so
a project key ``<img src="/dev/zero">`` shown in an error dialog made Qt read /dev/zero until the
process died. Every string that may come from a file goes through ``plain_html`` (for the static
QMessageBox functions and tooltips, which take HTML) or a label set to ``Qt.PlainText``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_html(text: str) -> str:
    """``text`` as rich text that displays exactly ``text``: escaped, line breaks and spaces kept."""
    return "<p style='white-space:pre-wrap'>" + html.escape(str(text), quote=False) + "</p>"


def plain_label(label: QLabel) -> QLabel:
    """``label``, set to show its text literally."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def show_critical(parent: QWidget | None, title: str, text: str) -> None:
    """An error dialog whose text (which may hold file content) is shown as plain text."""
    QMessageBox.critical(parent, title, plain_html(text))


def show_warning(parent: QWidget | None, title: str, text: str) -> None:
    """A warning dialog whose text is shown as plain text."""
    QMessageBox.warning(parent, title, plain_html(text))


def displayed_text(text: str) -> str:
    """What Qt shows for ``text`` in a message box or tooltip: rich text rendered to plain (images
    become U+FFFC and are never loaded). Tests use it to check that hostile text stays text."""
    if not QtGuiNamespace.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()
