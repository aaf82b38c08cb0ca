"""Front ends: one module and one Lark grammar per input format."""
