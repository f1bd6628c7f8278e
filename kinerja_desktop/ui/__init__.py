"""The PySide6 interface: a thin shell over the services."""
