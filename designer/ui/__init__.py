"""The Qt desktop application: main window, document, canvas, panels and undo commands."""
