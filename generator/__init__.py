"""Generator of Python bindings, ctypes stubs and docs for Microsoft's MAPI COM interfaces."""

__version__ = "0.1.0"
