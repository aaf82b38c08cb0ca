"""The views stage: structured facts every back end and template reads, computed once from the model.

``interfaces`` holds the Python and ctypes facts of every interface, method and
parameter (names, ctypes types, annotations, out kinds, flags); ``data`` those of
every structure, union, constant, property tag and GUID (ctypes types, Win32 and
Win64 layouts, values); ``names`` the Python names both are spelled with.  Views
hold facts, not code: a back end formats them.
"""
